package io.chatsystem.query.application;

import java.util.List;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.application.ListApplicationsQuery;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications", produces = "application/json")
class ApplicationController {

    private final Queries queries;
    private final Paging paging;

    ApplicationController(Queries queries, Paging paging) {
        this.queries = queries;
        this.paging = paging;
    }

    @GetMapping
    List<ApplicationView> list(@RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size) {
        return queries.ask(new ListApplicationsQuery(paging.page(page, size))).applications();
    }

    @GetMapping("/{token}")
    ApplicationView get(@PathVariable String token) {
        return queries.one(new FindApplicationQuery(token), "no application with token " + token);
    }
}
