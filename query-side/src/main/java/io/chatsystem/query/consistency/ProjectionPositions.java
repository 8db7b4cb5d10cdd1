package io.chatsystem.query.consistency;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.query.replay.ProjectionTokens;
import io.chatsystem.query.replay.Projections;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

/**
 * Where each projection's live version stands in the event stream: the tracking tokens of all its segments. Known
 * without asking the database when this instance processes every segment (one query side alone: Axon
 * updates a segment's status after each batch it commits); otherwise read from the token store, where
 * every instance commits its segments' tokens with their batches.
 */
@Component
public class ProjectionPositions {

    private final Projections projections;
    private final ProjectionTokens tokens;

    ProjectionPositions(Projections projections, ProjectionTokens tokens) {
        this.projections = projections;
        this.tokens = tokens;
    }

    /** The tokens of the projection's segments if this instance processes all of them; null otherwise. */
    public List<TrackingToken> heldHere(String projection) {
        String processor = projections.liveProcessor(projection);
        Map<Integer, EventTrackerStatus> held = processor == null ? Map.of() : projections.runningHere(processor)
                .map(TrackingEventProcessor::processingStatus).orElse(Map.of());
        double share = 0;
        List<TrackingToken> segments = new ArrayList<>(held.size());
        for (EventTrackerStatus segment : held.values()) {
            share += 1.0 / (segment.getSegment().getMask() + 1);
            segments.add(segment.getTrackingToken());
        }
        return share > 0.999 ? segments : null;
    }

    /** The tokens of the projection's segments as the token store has them (none before its first start). */
    public List<TrackingToken> inTokenStore(String projection) {
        return inTokenStore().getOrDefault(projection, List.of());
    }

    /**
     * The tokens of every projection's live version as the token store has them, by projection; which version
     * is live is read with them (another instance may have switched a moment ago).
     */
    public Map<String, List<TrackingToken>> inTokenStore() {
        Map<String, List<TrackingToken>> all = new HashMap<>();
        tokens.live().forEach((projection, segments) ->
                all.put(projection, segments.stream().map(ProjectionTokens.SegmentToken::token).toList()));
        return all;
    }

    /** Whether every one of the segments (a projection has at least one) has processed the write. */
    public static boolean processed(ConsistencyToken write, List<TrackingToken> segments) {
        if (segments == null || segments.isEmpty()) {
            return false;
        }
        for (TrackingToken segment : segments) {
            if (!write.isCoveredBy(segment)) {
                return false;
            }
        }
        return true;
    }
}
