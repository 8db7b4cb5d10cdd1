package io.chatsystem.query.config;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
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
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
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
    private final WireContract.Serializers serializers = AppSerializers.load();
    private final Configuration configuration = DefaultConfigurer.defaultConfiguration().buildConfiguration();

    @Test
    void theStreamIsFetchedWithoutATransaction() {
        JdbcDataSource database = database("events");
        JdbcEventStorageEngine writer = eventTable(database);
        writer.appendEvents(new GenericDomainEventMessage<>("Chat", "token/1", 0,
                new MessageSent("token", 1, 1, "hello", Instant.parse("2026-11-23T05:00:00Z"))));

        EventStorageEngine reader = reader(counting(database));
        List<? extends TrackedEventMessage<?>> read = reader.readEvents(null, false).toList();
        List<? extends TrackedEventMessage<?>> none = reader.readEvents(read.getLast().trackingToken(), false).toList();

        assertThat(read.stream().map(event -> (Object) event.getPayload()).toList()).containsExactly(new MessageSent("token", 1, 1, "hello", Instant.parse("2026-11-23T05:00:00Z")));
        assertThat(none).isEmpty();
        assertThat(transactionsBegun).hasValue(0);
        assertThat(commits).hasValue(0);
    }

    @Test
    void eventsReadAsAxonsOwnEngineReadsThem() {
        JdbcDataSource database = database("compared");
        JdbcEventStorageEngine ours = eventTable(database);
        for (int number = 1; number <= 3; number++) {
            ours.appendEvents(new GenericDomainEventMessage<>("Chat", "token/1", number - 1,
                    new MessageSent("token", 1, number, "hello " + number, Instant.parse("2026-11-23T05:00:00Z"))));
        }
        JdbcEventStorageEngine axons = axonsEngine(database);

        List<? extends TrackedEventMessage<?>> read = ours.readEvents(null, false).toList();
        List<? extends TrackedEventMessage<?>> expected = axons.readEvents(null, false).toList();

        assertThat(read).hasSize(3);
        assertThat(read.stream().map(EventTableReadsTest::described).toList())
                .isEqualTo(expected.stream().map(EventTableReadsTest::described).toList());
        assertThat(ours.readEvents("token/1").asStream().map(m -> m.getTimestamp()).toList())
                .isEqualTo(axons.readEvents("token/1").asStream().map(m -> m.getTimestamp()).toList());
    }

    @Test
    void gapsAsAxonsOwnEngineSeesThem() throws Exception {
        JdbcDataSource database = database("gaps");
        JdbcEventStorageEngine ours = eventTable(database);
        for (int number = 1; number <= 4; number++) {
            ours.appendEvents(new GenericDomainEventMessage<>("Chat", "token/1", number - 1,
                    new MessageSent("token", 1, number, "hello " + number, Instant.parse("2026-12-06T08:00:00Z"))));
        }
        try (Connection connection = database.getConnection()) {
            // an append that rolled back leaves such a hole
            connection.createStatement().execute("DELETE FROM domain_event_entry WHERE global_index = 2");
        }
        JdbcEventStorageEngine axons = axonsEngine(database);

        List<TrackingToken> recent = tokens(ours);
        assertThat(recent).isEqualTo(tokens(axons));
        assertThat(((GapAwareTrackingToken) recent.getLast()).getGaps()).containsExactly(2L);

        Clock now = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.offset(now, Duration.ofMinutes(2));
        try {
            // the events are now older than the gap timeout: the hole is no longer waited for
            List<TrackingToken> old = tokens(ours);
            assertThat(old).isEqualTo(tokens(axons));
            assertThat(((GapAwareTrackingToken) old.getLast()).getGaps()).isEmpty();
        } finally {
            GenericEventMessage.clock = now;
        }
    }

    private static List<TrackingToken> tokens(EventStorageEngine engine) {
        return engine.readEvents(null, false).<TrackingToken>map(TrackedEventMessage::trackingToken).toList();
    }

    /**
     * Before the command side has created the event table, the query side reads an empty store (no failure
     * to log at every poll), and the table's events once it is there.
     */
    @Test
    void anEventTableNotCreatedYetReadsAsAnEmptyStoreUntilItIsThere() {
        JdbcDataSource database = database("awaited");
        // the query side's own tables are there (H2 tells a table missing from an empty database apart)
        try (var connection = database.getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE token_entry (processor_name VARCHAR(255))");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        AwaitedEventTable reader = reader(database);

        assertThat(reader.present()).isFalse();
        assertThat(reader.readEvents(null, false).toList()).isEmpty();
        assertThat(reader.createTailToken()).isNull();
        assertThat(reader.createHeadToken()).isNull();
        assertThat(reader.readEvents("token/1").asStream().toList()).isEmpty();

        JdbcEventStorageEngine writer = eventTable(database);
        writer.appendEvents(new GenericDomainEventMessage<>("Chat", "token/1", 0,
                new MessageSent("token", 1, 1, "hello", Instant.parse("2026-11-23T05:00:00Z"))));

        assertThat(reader.present()).isTrue();
        assertThat(reader.readEvents(null, false).toList()).hasSize(1);
        assertThat(reader.createHeadToken()).isNotNull();
    }

    private AwaitedEventTable reader(DataSource database) {
        return AxonConfig.eventStorageEngine(serializers.general(), serializers.events(),
                new JdbcSQLErrorCodesResolver(), configuration, EventTables.connectionProvider(database),
                new AxonConfig.EventStreamTuning(Duration.ofMillis(10), 1000, 1000, 8, Duration.ofSeconds(1),
                        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(250)), database);
    }

    private JdbcEventStorageEngine axonsEngine(JdbcDataSource database) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializers.general()).eventSerializer(serializers.events())
                .connectionProvider(EventTables.connectionProvider(database))
                .transactionManager(NoTransactionManager.instance()).schema(EventTables.SCHEMA).build();
    }

    private static JdbcDataSource database(String name) {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:" + name + ";MODE=MySQL;DB_CLOSE_DELAY=-1");
        return database;
    }

    /** The event table in {@code database}, created, and the engine the apps read and write it with. */
    private JdbcEventStorageEngine eventTable(JdbcDataSource database) {
        JdbcEventStorageEngine engine = EventTables.storageEngine(serializers.general(), serializers.events(),
                configuration, new JdbcSQLErrorCodesResolver(), EventTables.connectionProvider(database),
                NoTransactionManager.instance(), EventTables.AXON_FETCH_BATCH_SIZE);
        engine.createSchema(MySqlEventTableFactory.INSTANCE);
        return engine;
    }

    private static List<Object> described(TrackedEventMessage<?> event) {
        return List.of(event.trackingToken(), event.getIdentifier(), event.getTimestamp(), event.getPayload(),
                event.getMetaData());
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
