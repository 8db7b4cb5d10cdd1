package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.chatsystem.query.replay.ProjectionAdmin.ProjectionStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Per projection: {@code chat.projection.lag} (events between the head of the event stream and the
 * projection's position), {@code chat.projection.replaying} and {@code chat.projection.error} (0 or 1).
 * One status read serves every gauge of a scrape. Registered once the processors have started.
 */
@Component
class ProjectionMetrics {

    private static final Duration STATUS_REUSE = Duration.ofSeconds(1);

    private final ProjectionAdmin admin;
    private final MeterRegistry registry;
    private List<ProjectionStatus> statuses;
    private long readAt;

    ProjectionMetrics(ProjectionAdmin admin, MeterRegistry registry) {
        this.admin = admin;
        this.registry = registry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        for (String name : admin.names()) {
            gauge("chat.projection.lag", name, "events the projection is behind the event stream",
                    status -> status.lag() == null ? Double.NaN : status.lag());
            gauge("chat.projection.replaying", name, "1 while the projection replays",
                    status -> status.replaying() ? 1 : 0);
            gauge("chat.projection.error", name, "1 while the projection fails and retries",
                    status -> status.error() ? 1 : 0);
        }
    }

    private void gauge(String metric, String projection, String description,
                       ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(metric, this, metrics -> metrics.current(projection) == null ? Double.NaN
                        : value.applyAsDouble(metrics.current(projection)))
                .tag("projection", projection)
                .description(description)
                .register(registry);
    }

    private synchronized ProjectionStatus current(String projection) {
        long now = System.nanoTime();
        if (statuses == null || now - readAt > STATUS_REUSE.toNanos()) {
            readAt = now;
            try {
                statuses = admin.statuses();
            } catch (RuntimeException unavailable) {
                // the event store does not answer: no figure rather than a stale one (its health says why)
                statuses = List.of();
            }
        }
        return statuses.stream().filter(status -> status.name().equals(projection)).findFirst().orElse(null);
    }
}
