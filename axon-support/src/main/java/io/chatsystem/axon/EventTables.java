package io.chatsystem.axon;

import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;

/**
 * The event store without Axon Server: the {@code domain_event_entry} and {@code snapshot_event_entry}
 * tables of the command side's Flyway migration (snake_case columns, an auto-increment global index),
 * used through Axon's JDBC storage engine by both apps. Plain SQL: the JPA engine had Hibernate
 * translate a query for each append and fetch, a large share of both apps' CPU.
 */
public final class EventTables {

    public static final EventSchema SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    /**
     * Events read per query of the table: Axon's own default. An aggregate loads its snapshot and the few
     * events after it; the query side's projections replaying read more ({@code chat.events.fetch-batch-size}).
     */
    public static final int AXON_FETCH_BATCH_SIZE = 100;

    private EventTables() {
    }

    /** Connections of the current Spring transaction, so Axon's SQL commits or rolls back with it. */
    public static ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    public static JdbcEventStorageEngine storageEngine(Serializer snapshotSerializer, Serializer eventSerializer,
                                                       org.axonframework.config.Configuration configuration,
                                                       PersistenceExceptionResolver persistenceExceptionResolver,
                                                       ConnectionProvider connectionProvider,
                                                       TransactionManager transactionManager,
                                                       int fetchBatchSize) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(SCHEMA)
                .batchSize(fetchBatchSize);
        // Axon's engine, its events' timestamps read by EventTimestamps (the engine still parses each
        // once, its own way, to tell how old a gap before it is)
        return new JdbcEventStorageEngine(builder) {
            @Override
            protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
                    throws SQLException {
                TrackedEventData<?> tracked = super.getTrackedEventData(resultSet, previousToken);
                return new TrackedDomainEventData<>(tracked.trackingToken(),
                        withStoredTimestamp((DomainEventData<?>) tracked, resultSet));
            }

            @Override
            protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
                return withStoredTimestamp(super.getDomainEventData(resultSet), resultSet);
            }
        };
    }

    private static <T> DomainEventData<T> withStoredTimestamp(DomainEventData<T> entry, ResultSet resultSet)
            throws SQLException {
        return new StoredTimestampEventData<>(entry, resultSet.getString(SCHEMA.timestampColumn()));
    }
}
