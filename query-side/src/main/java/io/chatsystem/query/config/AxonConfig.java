package io.chatsystem.query.config;

import java.time.Duration;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.util.RegisterDefaultEntities;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
// the event entry entities, which Axon registers only when it builds the storage engine itself
@RegisterDefaultEntities(packages = "org.axonframework.eventsourcing.eventstore.jpa")
public class AxonConfig {

    @ConfigurationProperties("chat.events")
    public record EventStreamTuning(@DefaultValue("10ms") Duration fetchDelay) {
    }

    /**
     * A projection that cannot write must not move past the event: the failure goes to the
     * processor, which rolls the batch back and retries it with back-off, instead of being logged
     * and skipped (Axon's default).
     */
    @Autowired
    void propagateHandlerFailures(EventProcessingConfigurer processing) {
        processing.registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    /**
     * Without Axon Server the query side streams the command side's event table. Axon polls it
     * every second by default when idle (no property for it); poll often, the query is an index range scan.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          EntityManagerProvider entityManagerProvider,
                                          TransactionManager transactionManager) {
        // declared here because Axon's auto-configuration backs off once an event store bean exists
        return JpaEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                  EventStreamTuning tuning) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .fetchDelay(tuning.fetchDelay().toMillis())
                .build();
    }
}
