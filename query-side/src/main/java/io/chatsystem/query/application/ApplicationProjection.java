package io.chatsystem.query.application;

import java.time.Instant;

import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationRenamed;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

/** Projects applications into one version of the {@code applications} table ({@link ApplicationReadModel}). */
class ApplicationProjection {

    private final ApplicationRepository.Writes applications;

    ApplicationProjection(ApplicationRepository.Writes applications) {
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
}
