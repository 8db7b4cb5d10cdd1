package io.chatsystem.query.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.chatsystem.query.replay.ProjectionAdmin.ProjectionStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The projections in actuator health ({@code projections}): down while one of them is failing here (it
 * retries with back-off and loses nothing, but its read model stands still) or has a segment no instance
 * has held for longer than the claim timeout (named); each one's lag in events, and a rebuild's progress.
 */
@Component("projectionsHealthIndicator")
class ProjectionsHealthIndicator extends AbstractHealthIndicator {

    private final ProjectionAdmin admin;

    ProjectionsHealthIndicator(ProjectionAdmin admin) {
        super("Projection status is not available");
        this.admin = admin;
    }

    /** A store it reads that is down (or not there yet) is reported, not logged: that store's own health says why. */
    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<ProjectionStatus> statuses;
        try {
            statuses = admin.statuses();
        } catch (RuntimeException e) {
            builder.down().withDetail("error", "projection status is not available: " + e.getMessage());
            return;
        }
        boolean failing = false;
        for (ProjectionStatus status : statuses) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("running", status.running());
            details.put("error", status.error());
            details.put("lag", status.lag());
            if (status.rebuilding() != null) {
                details.put("rebuilding", "version %d, %s%%".formatted(status.rebuilding().version(),
                        status.rebuilding().progressPercent()));
            }
            List<String> stranded = new ArrayList<>();
            for (ProjectionAdmin.VersionStatus version : Stream.of(status.live(), status.rebuilding())
                    .filter(Objects::nonNull).toList()) {
                version.segments().stream().filter(ProjectionAdmin.SegmentStatus::stranded)
                        .forEach(segment -> stranded.add(version.processor() + " segment " + segment.segment()));
            }
            if (!stranded.isEmpty()) {
                details.put("stranded", stranded);
            }
            builder.withDetail(status.name(), details);
            failing |= status.error() || !stranded.isEmpty();
        }
        if (failing) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
