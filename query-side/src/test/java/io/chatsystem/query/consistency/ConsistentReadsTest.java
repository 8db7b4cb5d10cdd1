package io.chatsystem.query.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatsystem.axon.ConsistencyToken;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import io.chatsystem.query.config.IdleReads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

class ConsistentReadsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final ProjectionPositions positions = mock(ProjectionPositions.class);
    private final ConsistentReads reads = new ConsistentReads(positions,
            new ConsistentReads.Settings(TIMEOUT, Duration.ofMillis(5)),
            new DefaultListableBeanFactory().getBeanProvider(IdleReads.class));

    ConsistentReadsTest() {
        reads.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        reads.stop();
    }

    @Test
    void aReadGoesOnOnceEveryProjectionItReadsHasProcessedTheWrite() throws Exception {
        ConsistencyToken write = ConsistencyToken.ofEvent(10);
        when(positions.heldHere("chats")).thenReturn(List.of(GapAwareTrackingToken.newInstance(10, Set.of())));
        when(positions.heldHere("messages")).thenReturn(List.of(GapAwareTrackingToken.newInstance(9, Set.of())));

        assertThat(reads.processedHere(write, Set.of("chats"))).isTrue();
        assertThat(reads.processedHere(write, Set.of("chats", "messages"))).isFalse();
        CompletableFuture<Boolean> read = reads.await(write, Set.of("chats", "messages"));
        Thread.sleep(50);
        assertThat(read).isNotDone();

        when(positions.heldHere("messages")).thenReturn(List.of(GapAwareTrackingToken.newInstance(11, Set.of())));
        reads.committed();
        assertThat(read.get(2, TimeUnit.SECONDS)).isTrue();
    }

    /** With a segment on another instance, where the projections stand is read from the token store. */
    @Test
    void segmentsHeldElsewhereAreReadFromTheTokenStore() throws Exception {
        when(positions.heldHere("messages")).thenReturn(null);
        when(positions.inTokenStore()).thenReturn(Map.of("messages", List.of(
                GapAwareTrackingToken.newInstance(20, Set.of()), GapAwareTrackingToken.newInstance(20, Set.of(15L)))));

        assertThat(reads.processedHere(ConsistencyToken.ofEvent(15), Set.of("messages"))).isFalse();
        assertThat(reads.await(ConsistencyToken.ofEvent(14), Set.of("messages")).get(2, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> behindTheGap = reads.await(ConsistencyToken.ofEvent(15), Set.of("messages"));
        assertThat(behindTheGap.get(2, TimeUnit.SECONDS)).as("timed out").isFalse();
    }

    @Test
    void aReadThatIsNeverProcessedEndsAtTheTimeout() throws Exception {
        when(positions.heldHere("search")).thenReturn(List.of(GapAwareTrackingToken.newInstance(1, Set.of())));
        long started = System.nanoTime();

        assertThat(reads.await(ConsistencyToken.ofEvent(5), Set.of("search")).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(TIMEOUT);
    }

    @Test
    void aProjectionsPauseIsCutShortWhileAReadWaits() {
        when(positions.heldHere("counts")).thenReturn(List.of());
        long started = System.nanoTime();
        reads.pause(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no read waits: the whole pause")
                .isGreaterThanOrEqualTo(Duration.ofMillis(100));

        CompletableFuture<Boolean> waiting = reads.await(ConsistencyToken.ofEvent(5), Set.of("counts"));
        started = System.nanoTime();
        reads.pause(Duration.ofMinutes(1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(waiting).isNotDone();
    }
}
