package io.chatsystem.command.config;

import java.io.Serializable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;

/**
 * Counts the events (and snapshots) read to load an aggregate, as the metric
 * {@code chat.aggregate.events.loaded} tagged with the aggregate type. With snapshots working, a load
 * reads at most one snapshot and the events after it, however long the stream; the counter shows
 * operators (and the restart test) that this holds. Counting rides on the snapshot trigger because
 * Axon tells the trigger of every event it sources, and of the end of loading.
 */
final class LoadCountingSnapshotTrigger implements SnapshotTriggerDefinition {

    static final String METRIC = "chat.aggregate.events.loaded";

    private final SnapshotTriggerDefinition delegate;
    private final MeterRegistry registry;

    LoadCountingSnapshotTrigger(SnapshotTriggerDefinition delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Counting(delegate.prepareTrigger(aggregateType), counter(aggregateType));
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Counting counting) {
            return new Counting(delegate.reconfigure(aggregateType, counting.delegate), counter(aggregateType));
        }
        return delegate.reconfigure(aggregateType, trigger);
    }

    private Counter counter(Class<?> aggregateType) {
        return Counter.builder(METRIC)
                .description("events and snapshots read from the event store to load an aggregate")
                .tag("aggregate", aggregateType.getSimpleName())
                .register(registry);
    }

    private static final class Counting implements SnapshotTrigger, Serializable {

        private final SnapshotTrigger delegate;
        private final transient Counter loaded;
        private boolean initialized;

        Counting(SnapshotTrigger delegate, Counter loaded) {
            this.delegate = delegate;
            this.loaded = loaded;
        }

        @Override
        public void eventHandled(EventMessage<?> msg) {
            if (!initialized && loaded != null) {
                loaded.increment();
            }
            delegate.eventHandled(msg);
        }

        @Override
        public void initializationFinished() {
            initialized = true;
            delegate.initializationFinished();
        }
    }
}
