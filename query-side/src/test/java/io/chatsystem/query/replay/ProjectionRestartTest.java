package io.chatsystem.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link ProjectionReplays} starts a projection again after its replay, on a real tracking
 * processor: it claims afresh, even a segment it had released to another instance shortly before.
 */
class ProjectionRestartTest {

    private static final Duration CLAIMED_WITHIN = Duration.ofSeconds(10);

    private final EmbeddedEventStore events = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final TrackingEventProcessor processor = TrackingEventProcessor.builder()
            .name("messages")
            .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(new Object() {
                @EventHandler
                void on(String event) {
                }
            }).build())
            .messageSource(events)
            .tokenStore(new InMemoryTokenStore())
            .transactionManager(NoTransactionManager.INSTANCE)
            .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forParallelProcessing(2)
                    .andInitialSegmentsCount(2).andTokenClaimInterval(100, TimeUnit.MILLISECONDS))
            .build();

    @AfterEach
    void stop() {
        processor.shutDown();
        events.shutDown();
    }

    @Test
    void aSegmentReleasedForBalanceBeforeTheReplayIsClaimedAtOnceAfterIt() {
        processor.start();
        awaitThat(() -> processor.processingStatus().size() == 2);
        // the segment balance leaves segment 1 to another instance for a while (its release is a long one)
        processor.releaseSegment(1, 1, TimeUnit.HOURS);
        awaitThat(() -> !processor.processingStatus().containsKey(1));
        processor.shutdownAsync().join();

        // the replay is done and no other instance claimed segment 1: this one must
        assertThat(ProjectionReplays.start(processor, List.of(0, 1), () -> false)).isTrue();
        awaitThat(() -> processor.processingStatus().size() == 2);
        assertThat(processor.processingStatus().keySet()).containsExactlyInAnyOrder(0, 1);
    }

    private static void awaitThat(BooleanSupplier condition) {
        long deadline = System.nanoTime() + CLAIMED_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", CLAIMED_WITHIN).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
