package io.chatsystem.query.config;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.chatsystem.api.message.MessageSent;
import io.chatsystem.axon.EventTables;
import io.chatsystem.axon.wire.AppSerializers;
import io.chatsystem.axon.wire.WireContract;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.MySqlEventTableFactory;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side only reads the event table: each fetch of the stream is one statement, not one
 * wrapped in a transaction (at low rates the stream is fetched about twice per event, and 100 times
 * a second when idle).
 */
class EventTableReadsTest {

    private final AtomicInteger transactionsBegun = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();

    @Test
    void theStreamIsFetchedWithoutATransaction() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:events;MODE=MySQL;DB_CLOSE_DELAY=-1");
        WireContract.Serializers serializers = AppSerializers.load();
        Configuration configuration = DefaultConfigurer.defaultConfiguration().buildConfiguration();
        JdbcEventStorageEngine writer = EventTables.storageEngine(serializers.general(), serializers.events(),
                configuration, new JdbcSQLErrorCodesResolver(), EventTables.connectionProvider(database),
                NoTransactionManager.instance(), EventTables.AXON_FETCH_BATCH_SIZE);
        writer.createSchema(MySqlEventTableFactory.INSTANCE);
        writer.appendEvents(new GenericDomainEventMessage<>("Chat", "token/1", 0,
                new MessageSent("token", 1, 1, "hello", Instant.parse("2026-11-23T05:00:00Z"))));

        EventStorageEngine reader = AxonConfig.eventStorageEngine(serializers.general(), serializers.events(),
                new JdbcSQLErrorCodesResolver(), configuration, EventTables.connectionProvider(counting(database)),
                new AxonConfig.EventStreamTuning(Duration.ofMillis(10), 1000, 1000, Duration.ofSeconds(1),
                        Duration.ofSeconds(10)));
        List<? extends TrackedEventMessage<?>> read = reader.readEvents(null, false).toList();
        List<? extends TrackedEventMessage<?>> none = reader.readEvents(read.getLast().trackingToken(), false).toList();

        assertThat(read.stream().map(event -> (Object) event.getPayload()).toList()).containsExactly(new MessageSent("token", 1, 1, "hello", Instant.parse("2026-11-23T05:00:00Z")));
        assertThat(none).isEmpty();
        assertThat(transactionsBegun).hasValue(0);
        assertThat(commits).hasValue(0);
    }

    /** The data source, counting the transactions begun and committed on its connections. */
    private DataSource counting(DataSource database) {
        return new DelegatingDataSource(database) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
                                transactionsBegun.incrementAndGet();
                            } else if (method.getName().equals("commit")) {
                                commits.incrementAndGet();
                            }
                            return method.invoke(connection, args);
                        });
            }
        };
    }
}
