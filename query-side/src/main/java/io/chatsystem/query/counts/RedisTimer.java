package io.chatsystem.query.counts;

import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis client's timer (command time-outs, reconnect delays) ticks once a second instead of ten times:
 * its ticks were a tenth of what an idle query side spent. A command's time-out ({@code spring.data.redis.timeout})
 * then fires up to a tick late; an outage is still told by the store monitor's checks, not by it.
 */
@Configuration
class RedisTimer {

    private static final long TICK_MILLIS = 1000;

    @Bean
    ClientResourcesBuilderCustomizer coarseRedisTimer() {
        return resources -> resources.timer(new HashedWheelTimer(new DefaultThreadFactory("lettuce-timer", true),
                TICK_MILLIS, TimeUnit.MILLISECONDS));
    }
}
