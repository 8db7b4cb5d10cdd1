package io.chatsystem.query.replay;

import java.util.Arrays;
import java.util.List;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a rebuilt version has processed everything the live one has ({@link Projections#covers}): the
 * condition of the switch, so a reader never sees less after it.
 */
class ProjectionsCoverTest {

    @Test
    void aVersionCoversOneWhoseEverySegmentItHasPassed() {
        assertThat(covers(tokens(seq(10), seq(12)), tokens(seq(9), seq(10)))).isTrue();
        assertThat(covers(tokens(seq(10)), tokens(seq(10), seq(10)))).isTrue();
    }

    @Test
    void aVersionBehindAnySegmentOfTheOtherDoesNotCoverIt() {
        // its lowest segment is behind the other's highest: an event of the other's may be missing in it
        assertThat(covers(tokens(seq(10), seq(12)), tokens(seq(11), seq(5)))).isFalse();
        assertThat(covers(tokens(seq(9)), tokens(seq(10)))).isFalse();
    }

    @Test
    void aGapTheOtherHasFilledIsNotCoveredButThePositionIs() {
        // the rebuilt version is at 10 but has not seen 7 (a gap on the event table); the live one has
        TrackingToken rebuilt = GapAwareTrackingToken.newInstance(10, List.of(7L));
        TrackingToken live = GapAwareTrackingToken.newInstance(10, List.of());
        assertThat(covers(List.of(rebuilt), List.of(live))).isFalse();
        assertThat(covers(List.of(live), List.of(rebuilt))).isTrue();
        assertThat(Projections.covers(List.of(rebuilt), List.of(live), false)).isTrue();
        assertThat(Projections.covers(List.of(GapAwareTrackingToken.newInstance(9, List.of())), List.of(live), false))
                .isFalse();
    }

    @Test
    void aVersionWithoutSegmentsCoversNothingAndOneAtTheTailOnlyWhatProcessedNothing() {
        assertThat(covers(List.of(), tokens(seq(1)))).isFalse();
        assertThat(covers(tokens((TrackingToken) null), tokens(seq(1)))).isFalse();
        assertThat(covers(tokens((TrackingToken) null), tokens((TrackingToken) null))).isTrue();
        assertThat(covers(tokens(seq(3)), List.of())).isTrue();
    }

    private static boolean covers(List<TrackingToken> segments, List<TrackingToken> target) {
        boolean covered = Projections.covers(segments, target, true);
        // covering with its gaps implies reaching the position
        if (covered) {
            assertThat(Projections.covers(segments, target, false)).isTrue();
        }
        return covered;
    }

    private static TrackingToken seq(long index) {
        return new GlobalSequenceTrackingToken(index);
    }

    private static List<TrackingToken> tokens(TrackingToken... tokens) {
        return Arrays.asList(tokens);
    }
}
