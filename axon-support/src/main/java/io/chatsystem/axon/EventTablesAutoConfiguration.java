package io.chatsystem.axon;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Without Axon Server, both apps store and read events in the MySQL event table through
 * {@link EventTables}, each with an engine of its own (the command side's groups its appends, the query
 * side's only reads). Runs before Axon's own auto-configuration, so that its JDBC one backs off.
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
}
