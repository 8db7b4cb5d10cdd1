package io.chatsystem.query.consistency;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import io.chatsystem.query.search.SearchVisibility;
import jakarta.servlet.DispatcherType;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Reads that wait for a write: the filter in front of the public API, and the projections waking the waits. */
@Configuration
class ConsistencyConfig {

    private static final String WAKE_REGISTERED = ConsistencyConfig.class.getName() + ".wake";

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

    /**
     * Each projection wakes the waiting reads once a batch has committed, so a read waits for no poll when
     * this instance processed its write. Every projection a read may wait for must be one of them.
     */
    @Autowired
    void wakeWaitingReads(EventProcessingConfigurer processing, EventProcessorProperties processors,
                          ConsistentReads reads) {
        Set<String> missing = new HashSet<>(ConsistencyFilter.projectionsNamed());
        missing.removeAll(processors.getProcessors().keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("reads wait for projections that are not configured: " + missing);
        }
        MessageHandlerInterceptor<EventMessage<?>> wake = (unitOfWork, chain) -> {
            var batch = unitOfWork.root();
            batch.getOrComputeResource(WAKE_REGISTERED, key -> {
                batch.afterCommit(committed -> reads.committed());
                return Boolean.TRUE;
            });
            return chain.proceed();
        };
        processors.getProcessors().keySet().forEach(name -> processing.registerHandlerInterceptor(name, c -> wake));
    }
}
