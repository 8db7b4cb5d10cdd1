package io.chatsystem.query.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    void aVersionBehindTheSameSegmentOfTheOtherDoesNotCoverIt() {
        assertThat(covers(tokens(seq(10), seq(12)), tokens(seq(11), seq(5)))).isFalse();
        assertThat(covers(tokens(seq(9)), tokens(seq(10)))).isFalse();
    }

    @Test
    void cutIntoTheSameSegmentsEachIsComparedWithItsOwn() {
        // segment 1 of either has not stored its token since segment 0 passed 34 879: neither is missing anything
        assertThat(covers(tokens(seq(34_879), seq(34_854)), tokens(seq(34_879), seq(34_854)))).isTrue();
    }

    @Test
    void cutIntoOtherSegmentsEverySegmentMustHavePassedEveryOneOfTheOther() {
        // an event of the other's segment 0 may belong to this one's segment 1, which is behind it
        assertThat(covers(tokens(seq(34_879), seq(34_854)), tokens(seq(34_879)))).isFalse();
        assertThat(covers(tokens(seq(34_879), seq(34_879)), tokens(seq(34_879)))).isTrue();
        assertThat(covers(tokens(seq(34_879)), tokens(seq(34_879), seq(34_854)))).isTrue();
    }

    @Test
    void aGapTheOtherHasFilledIsNotCoveredButThePositionIs() {
        // the rebuilt version is at 10 but has not seen 7 (a gap on the event table); the live one has
        TrackingToken rebuilt = GapAwareTrackingToken.newInstance(10, List.of(7L));
        TrackingToken live = GapAwareTrackingToken.newInstance(10, List.of());
        assertThat(covers(tokens(rebuilt), tokens(live))).isFalse();
        assertThat(covers(tokens(live), tokens(rebuilt))).isTrue();
        assertThat(Projections.covers(tokens(rebuilt), tokens(live), false)).isTrue();
        assertThat(Projections.covers(tokens(GapAwareTrackingToken.newInstance(9, List.of())), tokens(live), false))
                .isFalse();
    }

    @Test
    void aVersionWithoutSegmentsCoversNothingAndOneAtTheTailOnlyWhatProcessedNothing() {
        assertThat(covers(Map.of(), tokens(seq(1)))).isFalse();
        assertThat(covers(tokens((TrackingToken) null), tokens(seq(1)))).isFalse();
        assertThat(covers(tokens((TrackingToken) null), tokens((TrackingToken) null))).isTrue();
        assertThat(covers(tokens(seq(3)), Map.of())).isTrue();
    }

    private static boolean covers(Map<Integer, TrackingToken> segments, Map<Integer, TrackingToken> target) {
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

    /** The tokens of segments 0, 1, … */
    private static Map<Integer, TrackingToken> tokens(TrackingToken... tokens) {
        Map<Integer, TrackingToken> segments = new HashMap<>();
        for (int segment = 0; segment < tokens.length; segment++) {
            segments.put(segment, tokens[segment]);
        }
        return segments;
    }
}
