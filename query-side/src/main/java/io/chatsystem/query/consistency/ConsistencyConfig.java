package io.chatsystem.query.consistency;

import java.time.Duration;
import java.util.EnumSet;

import io.chatsystem.query.search.SearchVisibility;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Reads that wait for a write: the filter in front of the public API (the projections' processors wake the waits). */
@Configuration
class ConsistencyConfig {

    /** On the request and on its dispatch again once the write is processed (the second passes through). */
    @Bean
    FilterRegistrationBean<ConsistencyFilter> consistencyFilter(ConsistentReads reads, SearchVisibility search,
                                                                Environment environment) {
        Duration retryAfter = environment.getProperty("chat.web.retry-after", Duration.class, Duration.ofSeconds(2));
        FilterRegistrationBean<ConsistencyFilter> registration =
                new FilterRegistrationBean<>(new ConsistencyFilter(reads, search, retryAfter));
        registration.addUrlPatterns("/api/v1/*");
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        registration.setAsyncSupported(true);
        return registration;
    }
}
