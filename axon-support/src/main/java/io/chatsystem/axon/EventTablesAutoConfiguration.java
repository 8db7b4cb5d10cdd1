package io.chatsystem.axon;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
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

    /**
     * Tells a lost race on an aggregate's stream (a duplicate (aggregate, sequence) key, which
     * Connector/J raises as an SQLIntegrityConstraintViolationException, batched or not) from other
     * failures of the store. Axon's JDBC auto-configuration backs off from defining it once an event
     * store is defined, so it is named here.
     */
    @Bean
    @ConditionalOnMissingBean(PersistenceExceptionResolver.class)
    PersistenceExceptionResolver eventTableExceptionResolver() {
        return new JdbcSQLErrorCodesResolver();
    }

    @Bean
    @ConditionalOnMissingBean(EventStorageEngine.class)
    EventStorageEngine eventStorageEngine(Serializer serializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          DataSource dataSource,
                                          TransactionManager transactionManager,
                                          @Value("${chat.events.fetch-batch-size:" + EventTables.AXON_FETCH_BATCH_SIZE + "}")
                                          int fetchBatchSize) {
        return EventTables.storageEngine(serializer, eventSerializer, configuration, persistenceExceptionResolver,
                EventTables.connectionProvider(dataSource), transactionManager, fetchBatchSize);
    }
}
