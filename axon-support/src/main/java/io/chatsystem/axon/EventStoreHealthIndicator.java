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

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        TrackingToken head = eventStore.createHeadToken();
        builder.up()
                .withDetail("store", eventStore.getClass().getSimpleName())
                .withDetail("head", head == null ? -1 : head.position().orElse(-1));
    }
}
