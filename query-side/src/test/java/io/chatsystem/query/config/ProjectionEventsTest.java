package io.chatsystem.query.config;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real tracking processor idle at the head, reading through {@link ProjectionEvents}: it waits far
 * longer for events than the tests wait for it, so only the wake can end its wait in time.
 */
class ProjectionEventsTest {

    private static final int WAIT_FOR_EVENTS_SECONDS = 60;

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final ProjectionEvents events = new ProjectionEvents(store);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final TrackingEventProcessor processor = TrackingEventProcessor.builder()
            .name("messages")
            .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(new Object() {
                @EventHandler
                void on(String event) {
                    handled.add(event);
                }
            }).build())
            .messageSource(events)
            .tokenStore(new InMemoryTokenStore())
            .transactionManager(NoTransactionManager.INSTANCE)
            .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                    .andEventAvailabilityTimeout(WAIT_FOR_EVENTS_SECONDS, TimeUnit.SECONDS)
                    // Axon interrupts a worker that has not stopped by then: not within the tests' waits
                    .andWorkerTerminationTimeout(WAIT_FOR_EVENTS_SECONDS, TimeUnit.SECONDS))
            .build();

    @AfterEach
    void stop() throws Exception {
        events.wakeReaders();
        processor.shutdownAsync().get(WAIT_FOR_EVENTS_SECONDS * 3L, TimeUnit.SECONDS);
        store.shutDown();
    }

    @Test
    void aProcessorWaitingForEventsStopsOnceWoken() throws Exception {
        processor.start();
        store.publish(GenericEventMessage.asEventMessage("first"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> handled.contains("first"));
        // now idle: its wait for events lasts a minute

        CompletableFuture<Void> stopped = processor.shutdownAsync();
        events.wakeReaders();

        stopped.get(10, TimeUnit.SECONDS);
        assertThat(processor.activeProcessorThreads()).isZero();
    }

    @Test
    void aWokenProcessorThatWasNotStoppedGoesOnHandlingEvents() {
        processor.start();
        store.publish(GenericEventMessage.asEventMessage("first"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> handled.contains("first"));

        events.wakeReaders();
        store.publish(GenericEventMessage.asEventMessage("second"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> handled.contains("second"));
        assertThat(processor.isRunning()).isTrue();
    }

    @Test
    void aWaitEndsWithTheEventThatArrivesAndWithoutOneAtItsTimeout() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            assertThat(stream.hasNextAvailable(250, TimeUnit.MILLISECONDS)).isFalse();

            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return stream.hasNextAvailable(WAIT_FOR_EVENTS_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            store.publish(GenericEventMessage.asEventMessage("arrives"));
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo("arrives");
        }
    }
}
