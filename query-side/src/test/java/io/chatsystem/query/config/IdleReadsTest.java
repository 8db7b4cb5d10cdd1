package io.chatsystem.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.stream.Stream;

import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

class IdleReadsTest {

    private static final Duration IDLE_AFTER = Duration.ofMillis(100);
    private static final Duration IDLE_DELAY = Duration.ofMillis(600);

    private final EventStorageEngine table = mock(EventStorageEngine.class);
    private final IdleReads idle = new IdleReads(IDLE_AFTER, IDLE_DELAY);
    private final EventStorageEngine reads = idle.around(table);

    @Test
    void whileEventsComeEveryReadGoesStraightToTheTable() {
        when(table.readEvents(any(), anyBoolean())).thenAnswer(invocation -> Stream.of(event()));
        for (int i = 0; i < 5; i++) {
            long took = timed(() -> assertThat(reads.readEvents(null, false).toList()).hasSize(1));
            assertThat(took).isLessThan(IDLE_DELAY.toMillis() / 2);
            sleep(IDLE_AFTER.toMillis() / 2);
        }
    }

    @Test
    void afterAQuietSpellAReadFirstWaitsTheIdleDelay() {
        when(table.readEvents(any(), anyBoolean())).thenAnswer(invocation -> Stream.empty());
        sleep(IDLE_AFTER.toMillis() * 2);

        long took = timed(() -> assertThat(reads.readEvents(null, false).toList()).isEmpty());

        assertThat(took).isGreaterThanOrEqualTo(IDLE_DELAY.toMillis() - 10);
    }

    @Test
    void aReadWaitingForAWriteEndsTheWait() {
        when(table.readEvents(any(), anyBoolean())).thenAnswer(invocation -> Stream.of(event()));
        sleep(IDLE_AFTER.toMillis() * 2);
        Thread.ofVirtual().start(() -> {
            sleep(50);
            idle.wake();
        });

        long took = timed(() -> assertThat(reads.readEvents(null, false).toList()).hasSize(1));

        assertThat(took).isLessThan(IDLE_DELAY.toMillis() / 2);
        long next = timed(() -> reads.readEvents(null, false).toList());
        assertThat(next).as("an event was read: not idle any more").isLessThan(IDLE_DELAY.toMillis() / 2);
    }

    private static TrackedEventMessage<?> event() {
        return new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(1), GenericEventMessage.asEventMessage("e"));
    }

    private static long timed(Runnable read) {
        long started = System.nanoTime();
        read.run();
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
