package io.chatsystem.web;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** {@link StoreCalls} with its deadline, and the 503 answer to a store that is down. */
@AutoConfiguration
public class StoreCallsAutoConfiguration {

    @Bean
    StoreCalls storeCalls(Environment environment) {
        return new StoreCalls(environment.getProperty("chat.web.store-timeout", Duration.class, Duration.ofMillis(2500)));
    }

    @Bean
    StoreUnavailableAdvice storeUnavailableAdvice(Environment environment) {
        return new StoreUnavailableAdvice(environment.getProperty("chat.web.retry-after", Duration.class,
                Duration.ofSeconds(2)));
    }
}
