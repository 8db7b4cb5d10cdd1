package io.chatsystem.query.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatsystem.query.replay.ProjectionVersions.State;
import io.chatsystem.query.replay.ProjectionVersions.Version;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Service;

/**
 * What an operator sees of the projections and asks of them: each one's live version and the one being
 * rebuilt, across all instances (read from the versions and the token store), and rebuilds ({@link Projections}).
 */
@Service
public class ProjectionAdmin {

    /**
     * A projection: its live version's figures at the top ({@code running} and {@code error} are of the
     * instance that answers), {@code replaying} while a rebuild is under way, with its progress.
     * Positions are global event-stream indexes, the lowest of the segments'.
     */
    public record ProjectionStatus(String name, boolean running, boolean error, boolean replaying,
                                   Long position, Long head, Long lag, Double replayProgressPercent,
                                   List<SegmentStatus> segments, VersionStatus live, VersionStatus rebuilding) {
    }

    /** A version of a projection's read model and its processor. */
    public record VersionStatus(int version, String processor, boolean running, boolean error, Long position,
                                Long lag, Double progressPercent, List<SegmentStatus> segments) {
    }

    /**
     * A segment and the instance holding it (null while none does). {@code stranded}: no instance has
     * held it for longer than the claim timeout: its part of the read model stands still.
     */
    public record SegmentStatus(int segment, String owner, Long position, boolean stranded) {
    }

    private final Projections projections;
    private final ProjectionVersions versions;
    private final ProjectionTokens tokens;
    private final Duration claimTimeout;

    ProjectionAdmin(Projections projections, ProjectionVersions versions, ProjectionTokens tokens, TokenClaims claims) {
        this.projections = projections;
        this.versions = versions;
        this.tokens = tokens;
        this.claimTimeout = claims.timeout();
    }

    public List<ProjectionStatus> statuses() {
        List<Version> all = versions.all();
        Map<String, List<ProjectionTokens.SegmentToken>> segments = tokens.all();
        Long head = projections.headPosition();
        List<ProjectionStatus> statuses = new ArrayList<>();
        for (String name : projections.names()) {
            VersionStatus live = version(all, name, State.LIVE, segments, head);
            VersionStatus rebuilding = version(all, name, State.BUILDING, segments, head);
            VersionStatus shown = live != null ? live : rebuilding;
            statuses.add(new ProjectionStatus(name, shown != null && shown.running(), shown != null && shown.error(),
                    rebuilding != null, shown == null ? null : shown.position(), head, shown == null ? null : shown.lag(),
                    rebuilding == null ? null : rebuilding.progressPercent(),
                    shown == null ? List.of() : shown.segments(), live, rebuilding));
        }
        return statuses;
    }

    public List<String> names() {
        return projections.names();
    }

    public boolean exists(String name) {
        return projections.names().contains(name);
    }

    /** Rebuilds one projection beside its live version. */
    public void replay(String name) {
        projections.rebuild(List.of(name));
    }

    /** Rebuilds every projection that is not being rebuilt already; refused if every one is. */
    public void replayAll() {
        projections.rebuild(names());
    }

    private VersionStatus version(List<Version> all, String name, State state,
                                  Map<String, List<ProjectionTokens.SegmentToken>> segments, Long head) {
        Optional<Version> version = all.stream()
                .filter(v -> v.projection().equals(name) && v.state() == state).findFirst();
        if (version.isEmpty()) {
            return null;
        }
        String processor = version.get().processor();
        List<ProjectionTokens.SegmentToken> held = segments.getOrDefault(processor, List.of());
        Long position = lowest(held);
        Long lag = head == null || position == null ? null : Math.max(0, head - position);
        Double progress = head == null || head == 0 ? null
                : Math.min(100.0, Math.round(1000.0 * (position == null ? 0 : position) / head) / 10.0);
        Optional<TrackingEventProcessor> here = projections.runningHere(processor);
        return new VersionStatus(version.get().version(), processor,
                here.map(TrackingEventProcessor::isRunning).orElse(false),
                here.map(TrackingEventProcessor::isError).orElse(false), position, lag, progress,
                held.stream().map(this::segment).toList());
    }

    private SegmentStatus segment(ProjectionTokens.SegmentToken token) {
        return new SegmentStatus(token.segment(), token.owner(), token.position(), stranded(token));
    }

    /**
     * Not held by any instance for longer than the claim timeout: a claim lapses a claim timeout after its
     * last renewal, so the last claim is more than twice that old.
     */
    private boolean stranded(ProjectionTokens.SegmentToken token) {
        return token.owner() == null && token.claimed() != null
                && token.claimed().isBefore(Instant.now().minus(claimTimeout.multipliedBy(2)));
    }

    /** The lowest position of the segments; null while one has none. */
    private static Long lowest(List<ProjectionTokens.SegmentToken> segments) {
        Long lowest = null;
        for (ProjectionTokens.SegmentToken segment : segments) {
            Long position = segment.position();
            if (position == null) {
                return null;
            }
            lowest = lowest == null ? position : Math.min(lowest, position);
        }
        return lowest;
    }
}
