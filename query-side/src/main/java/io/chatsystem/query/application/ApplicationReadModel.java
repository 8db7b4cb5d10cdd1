package io.chatsystem.query.application;

import java.util.Optional;

import io.chatsystem.api.application.ApplicationList;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.FindApplicationQuery;
import io.chatsystem.api.application.ListApplicationsQuery;
import io.chatsystem.query.replay.ReadModel;
import io.chatsystem.query.replay.VersionedTables;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** The applications read model: its versions ({@link ApplicationProjection} writes each) and the queries it answers. */
@Component
class ApplicationReadModel {

    static final String NAME = "applications";

    private final ApplicationRepository applications;

    ApplicationReadModel(ApplicationRepository applications) {
        this.applications = applications;
    }

    @Bean
    static ReadModel applicationsReadModel(VersionedTables tables, ApplicationRepository applications) {
        return tables.readModel(NAME, version -> new ApplicationProjection(applications.writes(version)));
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
