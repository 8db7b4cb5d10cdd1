package io.chatsystem.query.instances;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This query-side instance among the others that share the projections: its name (the owner of the
 * token claims it holds) and how many instances are alive. Each instance writes its row of
 * {@code query_side_instances} every heartbeat, in database time, so clocks need not agree.
 */
@Component
public class QuerySideInstances {

    /**
     * {@code name}: this instance's name in the token claims (default: Axon's own, {@code pid@host});
     * an instance not seen for {@code expiry} counts as gone.
     */
    @ConfigurationProperties("chat.instances")
    public record Settings(String name, @DefaultValue("2s") Duration heartbeat, @DefaultValue("6s") Duration expiry) {
    }

    private static final Logger log = LoggerFactory.getLogger(QuerySideInstances.class);

    private static final String BEAT = """
            INSERT INTO query_side_instances (node_id, seen_at) VALUES (?, NOW(6))
            ON DUPLICATE KEY UPDATE seen_at = NOW(6)""";
    private static final String ALIVE =
            "SELECT COUNT(*) FROM query_side_instances WHERE seen_at > NOW(6) - INTERVAL ? MICROSECOND";
    /** Rows of instances long gone (their names are not reused: a new process has a new pid). */
    private static final String FORGET = "DELETE FROM query_side_instances WHERE seen_at < NOW(6) - INTERVAL 1 DAY";

    private final JdbcTemplate jdbc;
    private final Settings settings;
    private final String nodeId;
    private volatile int alive = 1;
    private volatile boolean reachable = true;
    private final AtomicBoolean beating = new AtomicBoolean();

    QuerySideInstances(JdbcTemplate jdbc, Settings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.nodeId = settings.name() == null || settings.name().isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() : settings.name().strip();
    }

    public String nodeId() {
        return nodeId;
    }

    /** Instances alive at the last heartbeat, this one included. */
    public int alive() {
        return alive;
    }

    /** At a fixed rate, on a thread of its own: no other scheduled work can hold it up. */
    @Scheduled(fixedRateString = "${chat.instances.heartbeat:2s}")
    void heartbeat() {
        // a beat still waiting for a busy database is not joined by another
        if (!beating.compareAndSet(false, true)) {
            return;
        }
        try {
            beat();
        } finally {
            beating.set(false);
        }
    }

    private void beat() {
        try {
            jdbc.update(BEAT, nodeId);
            Integer count = jdbc.queryForObject(ALIVE, Integer.class, settings.expiry().toNanos() / 1000);
            int now = Math.max(1, count == null ? 1 : count);
            if (now != alive) {
                log.info("{} query-side instance(s) share the projections (this one: {})", now, nodeId);
            }
            alive = now;
            jdbc.update(FORGET);
            reachable = true;
        } catch (RuntimeException e) {
            // the database's own health check reports the outage; one line when it starts
            if (reachable) {
                log.warn("Could not record this instance's heartbeat: {}", e.toString());
            }
            reachable = false;
        }
    }

    /** A graceful stop leaves at once, so the others take over its share without waiting for the expiry. */
    @PreDestroy
    void leave() {
        try {
            jdbc.update("DELETE FROM query_side_instances WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not remove this instance's row", e);
        }
    }
}
