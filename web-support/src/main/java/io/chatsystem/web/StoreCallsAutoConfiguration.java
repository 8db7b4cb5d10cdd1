package io.chatsystem.web;

import java.time.Duration;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** {@link StoreCalls} with its deadline and its {@link StoreMonitor}, and the 503 answer to a store that is down. */
@AutoConfiguration(afterName = "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration")
public class StoreCallsAutoConfiguration {

    @Bean(destroyMethod = "close")
    StoreMonitor storeMonitor(HealthContributorRegistry registry, Environment environment) {
        return new StoreMonitor(registry,
                List.of(environment.getProperty("chat.web.guarded-stores", String[].class, new String[] {"db", "eventStore"})),
                environment.getProperty("chat.web.store-probe-interval", Duration.class, Duration.ofMillis(250)),
                environment.getProperty("chat.web.outage-confirmation", Duration.class, Duration.ofSeconds(1)),
                environment.getProperty("chat.web.idle-after", Duration.class, Duration.ofSeconds(10)),
                environment.getProperty("chat.web.idle-store-probe-interval", Duration.class, Duration.ofSeconds(5)));
    }

    @Bean
    StoreCalls storeCalls(StoreMonitor storeMonitor, Environment environment) {
        return new StoreCalls(environment.getProperty("chat.web.store-timeout", Duration.class, Duration.ofSeconds(10)),
                storeMonitor);
    }

    @Bean
    StoreUnavailableAdvice storeUnavailableAdvice(Environment environment) {
        return new StoreUnavailableAdvice(environment.getProperty("chat.web.retry-after", Duration.class,
                Duration.ofSeconds(2)));
    }
}
