package io.chatsystem.query.audit;

import java.util.List;

import io.chatsystem.query.web.Paging;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications/{token}", produces = "application/json")
class AuditController {

    private final AuditLog audit;
    private final Paging paging;

    AuditController(AuditLog audit, Paging paging) {
        this.audit = audit;
        this.paging = paging;
    }

    @GetMapping("/events")
    List<AuditLog.AuditEvent> application(@PathVariable String token, @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        return audit.application(token, paging.page(page, size));
    }

    @GetMapping("/chats/{chat}/events")
    List<AuditLog.AuditEvent> chat(@PathVariable String token, @PathVariable int chat,
                                   @RequestParam(required = false) Integer page,
                                   @RequestParam(required = false) Integer size) {
        return audit.chat(token, chat, paging.page(page, size));
    }
}
