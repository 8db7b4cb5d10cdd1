package io.chatsystem.axon;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Without Axon Server, both apps store and read events in the MySQL event table through
 * {@link EventTables}. Runs before Axon's own auto-configuration, whose JPA engine then backs off
 * and whose event store is built on this engine.
 */
@AutoConfiguration(beforeName = {"org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration",
        "org.axonframework.springboot.autoconfig.AxonAutoConfiguration"})
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
public class EventTablesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(EventStorageEngine.class)
    EventStorageEngine eventStorageEngine(Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          DataSource dataSource,
                                          TransactionManager transactionManager) {
        return EventTables.storageEngine(serializer, eventSerializer, configuration, persistenceExceptionResolver,
                EventTables.connectionProvider(dataSource), transactionManager);
    }
}
