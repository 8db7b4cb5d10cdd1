package io.chatsystem.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void anEventIsProcessedOnceTheTokenPassedItAndItIsNoGap() {
        ConsistencyToken write = ConsistencyToken.ofEvent(10);

        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(9, Set.of()))).isFalse();
        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(10, Set.of()))).isTrue();
        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(12, Set.of(11L)))).isTrue();
    }

    /** Event 10 committed after 11 and 12 were read: the token is past it, but it is still a gap. */
    @Test
    void anEventBehindAGapIsNotProcessed() {
        ConsistencyToken write = ConsistencyToken.ofEvent(10);

        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(12, Set.of(10L)))).isFalse();
        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(12, Set.of()))).isTrue();
    }

    /** Gaps below the write's own event are other writes (maybe rolled back for good): they do not hold it up. */
    @Test
    void gapsBelowTheEventDoNotHoldItUp() {
        assertThat(ConsistencyToken.ofEvent(10).isCoveredBy(GapAwareTrackingToken.newInstance(10, Set.of(3L, 7L))))
                .isTrue();
    }

    /** A head read after the write: the write is somewhere at or below it, so no gap below it may remain. */
    @Test
    void aHeadIsProcessedOnlyWithNoGapUpToIt() {
        ConsistencyToken write = ConsistencyToken.upTo(GapAwareTrackingToken.newInstance(10, Set.of()));

        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(10, Set.of(7L)))).isFalse();
        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(12, Set.of(11L)))).isTrue();
        assertThat(write.isCoveredBy(GapAwareTrackingToken.newInstance(10, Set.of()))).isTrue();
    }

    @Test
    void axonServerPositionsHaveNoGaps() {
        ConsistencyToken write = ConsistencyToken.upTo(new GlobalSequenceTrackingToken(41));

        assertThat(write.isCoveredBy(new GlobalSequenceTrackingToken(40))).isFalse();
        assertThat(write.isCoveredBy(new GlobalSequenceTrackingToken(41))).isTrue();
    }

    /** A replaying segment has processed the write once its replay has come past it again, not before. */
    @Test
    void aReplayCountsWhereItHasGot() {
        ConsistencyToken write = ConsistencyToken.ofEvent(10);
        GapAwareTrackingToken atReset = GapAwareTrackingToken.newInstance(100, Set.of());

        assertThat(write.isCoveredBy(ReplayToken.createReplayToken(atReset))).isFalse();
        assertThat(write.isCoveredBy(ReplayToken.createReplayToken(atReset, GapAwareTrackingToken.newInstance(5, Set.of()))))
                .isFalse();
        assertThat(write.isCoveredBy(ReplayToken.createReplayToken(atReset, GapAwareTrackingToken.newInstance(20, Set.of()))))
                .isTrue();
        assertThat(write.isCoveredBy(null)).isFalse();
    }

    @Test
    void readsBackWhatItWrote() {
        assertThat(ConsistencyToken.parse(ConsistencyToken.ofEvent(12345).value())).isEqualTo(ConsistencyToken.ofEvent(12345));
        ConsistencyToken head = ConsistencyToken.upTo(new GlobalSequenceTrackingToken(7));
        assertThat(ConsistencyToken.parse(head.value())).isEqualTo(head);
        assertThat(ConsistencyToken.upTo(null).index()).isZero();
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"", "e", "x12", "e-1", "e1.5", "e１２", "e٣", "e12 3", "e1234567890123456789", "E12"}) {
            assertThatThrownBy(() -> ConsistencyToken.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ConsistencyToken.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
