package io.chatsystem.axon;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the event store answers: asks it for the head of the event stream, which is one cheap
 * query on the event table in MySQL and one call to Axon Server in the full stack.
 */
public class EventStoreHealthIndicator extends AbstractHealthIndicator {

    private final EventStore eventStore;

    public EventStoreHealthIndicator(EventStore eventStore) {
        super("Event store is not reachable");
        this.eventStore = eventStore;
    }

    /**
     * Down is reported, not logged: the Axon Server connector and the connection pool already log the
     * outage once per attempt, and a stack trace at every health poll would bury them.
     */
    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("store", eventStore.getClass().getSimpleName());
        TrackingToken head;
        try {
            head = eventStore.createHeadToken();
        } catch (RuntimeException e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        builder.up().withDetail("head", head == null ? -1 : head.position().orElse(-1));
    }
}
