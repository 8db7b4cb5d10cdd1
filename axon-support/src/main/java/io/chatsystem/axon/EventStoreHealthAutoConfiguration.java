package io.chatsystem.axon;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Puts the event store into actuator health ({@code eventStore}) in both apps. */
@AutoConfiguration(afterName = {"org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
        "org.axonframework.springboot.autoconfig.AxonServerBusAutoConfiguration"})
@ConditionalOnClass(HealthIndicator.class)
public class EventStoreHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventStoreHealthIndicator")
    EventStoreHealthIndicator eventStoreHealthIndicator(EventStore eventStore) {
        return new EventStoreHealthIndicator(eventStore);
    }
}
