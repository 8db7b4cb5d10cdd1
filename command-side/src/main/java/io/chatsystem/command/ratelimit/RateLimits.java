package io.chatsystem.command.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The limits on writes ({@link RateLimitFilter}): token buckets of {@code rate} writes a second that hold up
 * to {@code burst}, one per application and one per client address. A rate of 0 switches that limit off.
 * {@code maxTrackedKeys}: the most applications, and the most client addresses, each instance keeps a bucket
 * for (see {@link RateLimiter}). See application.yml for the defaults' reasons.
 */
@ConfigurationProperties("chat.writes.rate-limits")
public record RateLimits(@DefaultValue PerApplication perApplication, @DefaultValue PerClient perClient,
                         @DefaultValue("100000") int maxTrackedKeys) {

    public RateLimits {
        if (maxTrackedKeys < 1) {
            throw new IllegalArgumentException("chat.writes.rate-limits.max-tracked-keys must be at least 1");
        }
    }

    /** A rate (writes a second, 0: no limit) and a burst (writes at once). */
    public interface Limit {

        double rate();

        int burst();

        default boolean isOn() {
            return rate() > 0;
        }
    }

    /** Writes to one application (the token in the path), from whichever addresses. */
    public record PerApplication(@DefaultValue("500") double rate, @DefaultValue("1000") int burst) implements Limit {

        public PerApplication {
            RateLimiter.check("per-application", rate, burst);
        }
    }

    /** Writes from one client address (an IPv6 client: its /64), to whichever applications. */
    public record PerClient(@DefaultValue("1000") double rate, @DefaultValue("2000") int burst) implements Limit {

        public PerClient {
            RateLimiter.check("per-client", rate, burst);
        }
    }
}
