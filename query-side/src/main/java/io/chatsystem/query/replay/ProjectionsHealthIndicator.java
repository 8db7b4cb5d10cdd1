package io.chatsystem.query.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatsystem.query.replay.ProjectionAdmin.ProjectionStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The projections in actuator health ({@code projections}): down while one of them is failing
 * (it retries with back-off and loses nothing, but its read model stands still); each one's lag in events.
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
            details.put("replaying", status.replaying());
            details.put("lag", status.lag());
            builder.withDetail(status.name(), details);
            failing |= status.error();
        }
        if (failing) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
