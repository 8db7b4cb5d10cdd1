package io.chatsystem.query.replay;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.stereotype.Service;

/**
 * The projections (one tracking processor each, its segments shared by the query-side instances):
 * their state across all instances, read from the token store, and replays ({@link ProjectionReplays}).
 */
@Service
public class ProjectionAdmin {

    /**
     * What an operator sees of a projection. Positions are global event-stream indexes, the lowest of
     * its segments'. {@code running} and {@code error} are of the instance that answers; {@code replaying}
     * is true from the request until every segment, on whichever instance, is back where it was.
     */
    public record ProjectionStatus(String name, boolean running, boolean error, boolean replaying,
                                   Long position, Long head, Long lag, Double replayProgressPercent,
                                   List<SegmentStatus> segments) {
    }

    /** A segment and the instance holding it (null while none does). */
    public record SegmentStatus(int segment, String owner, Long position, boolean replaying) {
    }

    private final EventProcessingConfiguration processing;
    private final ProjectionTokens tokens;
    private final ProjectionReplays replays;
    private final ReplayRequests requests;

    ProjectionAdmin(EventProcessingConfiguration processing, ProjectionTokens tokens, ProjectionReplays replays,
                    ReplayRequests requests) {
        this.processing = processing;
        this.tokens = tokens;
        this.replays = replays;
        this.requests = requests;
    }

    public List<ProjectionStatus> statuses() {
        List<TrackingEventProcessor> processors = processors();
        if (processors.isEmpty()) {
            return List.of();
        }
        Long head = headPosition(processors.getFirst());
        Map<String, List<ProjectionTokens.SegmentToken>> segments = tokens.all();
        Set<String> requested = requests.openProjections();
        return processors.stream()
                .map(processor -> status(processor, segments.getOrDefault(processor.getName(), List.of()),
                        requested.contains(processor.getName()), head))
                .toList();
    }

    /**
     * Whether the projection is replaying on any instance, as {@code replaying} in its status, without
     * the rest of the status (no head of the stream, no other projection's tokens). Null while it has
     * no segments yet.
     */
    public Boolean replaying(String name) {
        List<ProjectionTokens.SegmentToken> segments = tokens.of(name);
        if (segments.isEmpty()) {
            return null;
        }
        return segments.stream().anyMatch(ProjectionTokens.SegmentToken::replaying)
                || requests.openProjections().contains(name);
    }

    /** Whether the projection has not handled any event yet, on any instance: no segment is past the tail of the stream. */
    public boolean processedNothing(String name) {
        TrackingToken tail = processing.eventProcessor(name, TrackingEventProcessor.class)
                .map(processor -> processor.getMessageSource().createTailToken()).orElse(null);
        return tokens.of(name).stream().allMatch(segment -> segment.token() == null
                || tail != null && tail.covers(org.axonframework.eventhandling.WrappedToken.unwrapLowerBound(segment.token())));
    }

    /** The projections' names, without asking any store. */
    public List<String> names() {
        return processors().stream().map(TrackingEventProcessor::getName).toList();
    }

    public boolean exists(String name) {
        return names().contains(name);
    }

    /** Replays one projection from the first event, on every instance. */
    public void replay(String name) {
        replays.request(List.of(name));
    }

    public void replayAll() {
        replays.request(names());
    }

    /**
     * Asks for a replay of one projection without waiting for it to begin; nothing if one is asked or
     * running already (by this instance or another).
     */
    public void requestReplay(String name) {
        replays.ask(name);
    }

    /** The projections: the tracking processors whose tokens the instances share in the database. */
    List<TrackingEventProcessor> processors() {
        return processing.eventProcessors().values().stream()
                .filter(TrackingEventProcessor.class::isInstance)
                .map(TrackingEventProcessor.class::cast)
                .filter(processor -> processing.tokenStore(processor.getName()) instanceof JdbcTokenStore)
                .sorted(java.util.Comparator.comparing(TrackingEventProcessor::getName))
                .toList();
    }

    /**
     * Whether a segment this instance processes is still replaying. Axon keeps flagging a segment as
     * replaying until it handles an event beyond the reset point; on an idle stream the replay is over
     * once it reached that point.
     */
    public static boolean isReplaying(EventTrackerStatus segment) {
        if (!segment.isReplaying()) {
            return false;
        }
        java.util.OptionalLong current = segment.getCurrentPosition();
        java.util.OptionalLong reset = segment.getResetPosition();
        return current.isEmpty() || reset.isEmpty() || current.getAsLong() < reset.getAsLong();
    }

    private static ProjectionStatus status(TrackingEventProcessor processor, List<ProjectionTokens.SegmentToken> segments,
                                           boolean requested, Long head) {
        Long position = null;
        Long resetPosition = null;
        boolean replaying = requested;
        boolean positioned = !segments.isEmpty();
        for (ProjectionTokens.SegmentToken segment : segments) {
            Long current = segment.position();
            if (current == null) {
                positioned = false;
            } else {
                position = position == null ? current : Math.min(position, current);
            }
            if (segment.replaying()) {
                replaying = true;
                Long reset = segment.resetPosition();
                resetPosition = reset == null ? resetPosition : resetPosition == null ? reset : Math.max(resetPosition, reset);
            }
        }
        position = positioned ? position : null;
        Long lag = head == null || position == null ? null : Math.max(0, head - position);
        Double progress = !replaying || resetPosition == null || resetPosition == 0 ? null
                : Math.min(100.0, Math.round(1000.0 * (position == null ? 0 : position) / resetPosition) / 10.0);
        List<SegmentStatus> segmentStatuses = segments.stream()
                .map(segment -> new SegmentStatus(segment.segment(), segment.owner(), segment.position(), segment.replaying()))
                .toList();
        return new ProjectionStatus(processor.getName(), processor.isRunning(), processor.isError(), replaying,
                position, head, lag, progress, segmentStatuses);
    }

    private static Long headPosition(TrackingEventProcessor processor) {
        StreamableMessageSource<?> source = processor.getMessageSource();
        TrackingToken head = source.createHeadToken();
        return head == null ? null : head.position().stream().boxed().findFirst().orElse(null);
    }
}
