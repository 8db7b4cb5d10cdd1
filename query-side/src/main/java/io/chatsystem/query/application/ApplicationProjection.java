package io.chatsystem.query.application;

import java.time.Instant;
import java.util.Optional;

import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationList;
import io.chatsystem.api.application.ApplicationRenamed;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.application.ListApplicationsQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Projects applications into MySQL and answers queries about them. */
@Component
@ProcessingGroup(ApplicationProjection.NAME)
class ApplicationProjection {

    static final String NAME = "applications";

    private final ApplicationRepository applications;

    ApplicationProjection(ApplicationRepository applications) {
        this.applications = applications;
    }

    @EventHandler
    void on(ApplicationCreated event, @Timestamp Instant createdAt) {
        applications.insert(event.token(), event.name(), createdAt);
    }

    @EventHandler
    void on(ApplicationRenamed event) {
        applications.rename(event.token(), event.name());
    }

    @ResetHandler
    void reset() {
        applications.clear();
    }

    @QueryHandler
    Optional<ApplicationView> handle(FindApplicationQuery query) {
        return applications.find(query.token());
    }

    @QueryHandler
    ApplicationList handle(ListApplicationsQuery query) {
        return new ApplicationList(applications.list(query.page()));
    }
}
