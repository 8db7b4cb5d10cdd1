package io.chatsystem.query.application;

import java.util.List;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.application.ListApplicationsQuery;
import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.query.consistency.ConsistencyFilter;
import io.chatsystem.query.counts.FreshCounts;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/applications", produces = "application/json")
class ApplicationController {

    private final Queries queries;
    private final Paging paging;
    private final FreshCounts counts;

    ApplicationController(Queries queries, Paging paging, FreshCounts counts) {
        this.queries = queries;
        this.paging = paging;
        this.counts = counts;
    }

    @GetMapping
    List<ApplicationView> list(@RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size,
                               @RequestAttribute(name = ConsistencyFilter.WRITE, required = false) ConsistencyToken write) {
        List<ApplicationView> applications = queries.ask(new ListApplicationsQuery(paging.page(page, size))).applications();
        return write == null ? applications : counts.applications(applications);
    }

    @GetMapping("/{token}")
    ApplicationView get(@PathVariable String token,
                        @RequestAttribute(name = ConsistencyFilter.WRITE, required = false) ConsistencyToken write) {
        ApplicationView application = queries.one(new FindApplicationQuery(token), "no application with token " + token);
        return write == null ? application : counts.application(application);
    }
}
