package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.chatsystem.query.instances.QuerySideInstances;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Shares each projection's segments evenly among the live query-side instances. A tracking processor
 * claims every free segment it has a thread for and never gives one back by itself: the first
 * instance up, or the survivor of a failure, would keep them all. So an instance holding more than its
 * share (segments / live instances, rounded up) releases the excess for a while, long enough for
 * another instance to claim it; if none does, it takes it back, so no segment stands still for long.
 * A segment released is not released again within that while (its worker lets go only after its
 * current batch, so the processor may still list it at the next pass); if it comes back unclaimed, the
 * next release of it waits twice as long as the last wait (up to {@code max-backoff}), so an instance
 * that cannot claim costs the projection little. A change in the number of instances starts afresh.
 * (Axon Server's automatic load balancing does this for its Enterprise edition only.)
 */
@Component
class SegmentBalance {

    /** {@code releaseFor}: how long a released segment is left for another instance to claim. */
    @ConfigurationProperties("chat.projections.balance")
    record Settings(@DefaultValue("15s") Duration releaseFor, @DefaultValue("10m") Duration maxBackoff) {
    }

    private static final Logger log = LoggerFactory.getLogger(SegmentBalance.class);

    private final Projections projections;
    private final ProjectionTokens tokens;
    private final QuerySideInstances instances;
    private final Settings settings;
    private final AtomicBoolean balancing = new AtomicBoolean();
    private final ReleaseBackoff backoff;
    private int instancesAtLastPass;

    SegmentBalance(Projections projections, ProjectionTokens tokens, QuerySideInstances instances, Settings settings) {
        this.projections = projections;
        this.tokens = tokens;
        this.instances = instances;
        this.settings = settings;
        this.backoff = new ReleaseBackoff(settings.releaseFor(), settings.maxBackoff());
    }

    @Scheduled(fixedRateString = "${chat.instances.heartbeat:2s}", initialDelayString = "${chat.instances.heartbeat:2s}")
    void balance() {
        // at a fixed rate, so a slow pass (a busy database) must not overlap the next one
        if (!balancing.compareAndSet(false, true)) {
            return;
        }
        try {
            balanceNow();
        } finally {
            balancing.set(false);
        }
    }

    private void balanceNow() {
        int alive = instances.alive();
        if (alive != instancesAtLastPass) {
            backoff.forgetAll();
            instancesAtLastPass = alive;
        }
        if (alive < 2) {
            return;
        }
        Map<String, List<ProjectionTokens.SegmentToken>> segments;
        try {
            segments = tokens.all();
        } catch (RuntimeException e) {
            log.debug("Could not read the token store; balancing later", e);
            return;
        }
        for (TrackingEventProcessor processor : projections.runningHere().values()) {
            if (processor.isRunning()) {
                balance(processor, segments.getOrDefault(processor.getName(), List.of()).size(), alive);
            }
        }
    }

    private void balance(TrackingEventProcessor processor, int segments, int alive) {
        int share = Math.ceilDiv(segments, alive);
        List<Integer> held = processor.processingStatus().keySet().stream().sorted().toList();
        long now = System.nanoTime();
        for (int i = share; i < held.size(); i++) {
            int segment = held.get(i);
            if (!backoff.tryRelease(processor.getName(), segment, now)) {
                continue;
            }
            log.info("Projection {}: releasing segment {} to another instance ({} instances share {} segments)",
                    processor.getName(), segment, alive, segments);
            processor.releaseSegment(segment, settings.releaseFor().toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
