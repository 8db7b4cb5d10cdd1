package io.chatsystem.query.replay;

import java.util.List;

import io.chatsystem.query.NotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators only (see the operators package); not routed by the public gateway. */
@RestController
@RequestMapping(path = "/admin/projections", produces = "application/json")
class ProjectionAdminController {

    private final ProjectionAdmin admin;

    ProjectionAdminController(ProjectionAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<ProjectionAdmin.ProjectionStatus> list() {
        return admin.statuses();
    }

    @PostMapping("/{name}/replay")
    ResponseEntity<List<ProjectionAdmin.ProjectionStatus>> replay(@PathVariable String name) {
        if (!admin.exists(name)) {
            throw new NotFoundException("no projection " + name);
        }
        admin.replay(name);
        return ResponseEntity.accepted().body(admin.statuses());
    }

    @PostMapping("/replay")
    ResponseEntity<List<ProjectionAdmin.ProjectionStatus>> replayAll() {
        admin.replayAll();
        return ResponseEntity.accepted().body(admin.statuses());
    }
}
