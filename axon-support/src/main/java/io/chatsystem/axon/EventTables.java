package io.chatsystem.axon;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.jdbc.core.JdbcTemplate;

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

    /** Axon's defaults for the stream's gaps, named here because the engine below reads them too. */
    private static final long LOWEST_GLOBAL_INDEX = 1;
    private static final int MAX_GAP_OFFSET = 10_000;
    private static final Duration GAP_TIMEOUT = Duration.ofMinutes(1);

    private EventTables() {
    }

    /**
     * Where each column is in what Axon's reads select (the stream's and an aggregate's alike select
     * {@link EventSchema#trackedEventFields()}): read by position, as Connector/J looks a column's label up
     * again at every read by name (4 % of the query side's samples in a replay).
     */
    private static final class ReadColumns {
        private static final List<String> SELECTED = Arrays.stream(SCHEMA.trackedEventFields().split(","))
                .map(String::strip).toList();
        static final int GLOBAL_INDEX = position(SCHEMA.globalIndexColumn());
        static final int EVENT_IDENTIFIER = position(SCHEMA.eventIdentifierColumn());
        static final int AGGREGATE_IDENTIFIER = position(SCHEMA.aggregateIdentifierColumn());
        static final int SEQUENCE_NUMBER = position(SCHEMA.sequenceNumberColumn());
        static final int TYPE = position(SCHEMA.typeColumn());
        static final int TIMESTAMP = position(SCHEMA.timestampColumn());
        static final int PAYLOAD_TYPE = position(SCHEMA.payloadTypeColumn());
        static final int PAYLOAD_REVISION = position(SCHEMA.payloadRevisionColumn());
        static final int PAYLOAD = position(SCHEMA.payloadColumn());
        static final int META_DATA = position(SCHEMA.metaDataColumn());

        private static int position(String column) {
            int index = SELECTED.indexOf(column);
            if (index < 0) {
                throw new IllegalStateException(column + " is not among the columns Axon reads: " + SELECTED);
            }
            return index + 1;
        }
    }

    /** Connections of the current Spring transaction, so Axon's SQL commits or rolls back with it. */
    public static ConnectionProvider connectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * The global index of a stored event, by its identifier (a unique key; null if it is not stored), in
     * whatever transaction of the data source is current: where a group of appends went ({@code GroupCommit}).
     */
    public static Function<String, Long> globalIndex(JdbcTemplate jdbc) {
        String select = "SELECT " + SCHEMA.globalIndexColumn() + " FROM " + SCHEMA.domainEventTable()
                + " WHERE " + SCHEMA.eventIdentifierColumn() + " = ?";
        return identifier -> jdbc.queryForList(select, Long.class, identifier).stream().findFirst().orElse(null);
    }

    /**
     * The global index of an aggregate's last stored event (null for none): one range read of the unique
     * (aggregate, sequence) key.
     */
    public static Function<String, Long> lastGlobalIndexOf(JdbcTemplate jdbc) {
        String select = "SELECT MAX(" + SCHEMA.globalIndexColumn() + ") FROM " + SCHEMA.domainEventTable()
                + " WHERE " + SCHEMA.aggregateIdentifierColumn() + " = ?";
        return aggregate -> jdbc.queryForObject(select, Long.class, aggregate);
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
                .batchSize(fetchBatchSize)
                .lowestGlobalSequence(LOWEST_GLOBAL_INDEX)
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout((int) GAP_TIMEOUT.toMillis());
        // Axon's engine, each event's stored timestamp read once and parsed once (StoredEventEntry)
        return new JdbcEventStorageEngine(builder) {
            /**
             * As Axon's own, but the entry's timestamp, parsed as it is read, also tells whether a gap before the
             * event may still fill: Axon parsed the stored text for that at every event read (9 % of the query
             * side's samples in a replay of all projections), and again for the event's own timestamp.
             */
            @Override
            protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
                    throws SQLException {
                long globalIndex = resultSet.getLong(ReadColumns.GLOBAL_INDEX);
                DomainEventData<?> event = storedEvent(resultSet, true);
                Instant gapTimeoutFrame = GenericEventMessage.clock.instant().minus(GAP_TIMEOUT);
                boolean allowGaps = event.getTimestamp().isAfter(gapTimeoutFrame);
                GapAwareTrackingToken token;
                if (previousToken == null) {
                    SortedSet<Long> gaps = allowGaps
                            ? LongStream.range(Math.min(LOWEST_GLOBAL_INDEX, globalIndex), globalIndex).boxed()
                                    .collect(Collectors.toCollection(TreeSet::new))
                            : Collections.emptySortedSet();
                    token = GapAwareTrackingToken.newInstance(globalIndex, gaps);
                } else {
                    token = previousToken.advanceTo(globalIndex, allowGaps ? MAX_GAP_OFFSET : 0);
                }
                return new TrackedDomainEventData<>(token, event);
            }

            @Override
            protected DomainEventData<?> getDomainEventData(ResultSet resultSet) throws SQLException {
                return storedEvent(resultSet, false);
            }

            /**
             * The row's event, its columns read as Axon reads them; in the stream (tracked) an event whose
             * aggregate identifier is its own identifier has none, as Axon's stream gives it.
             */
            private DomainEventData<?> storedEvent(ResultSet resultSet, boolean tracked) throws SQLException {
                String aggregateIdentifier = resultSet.getString(ReadColumns.AGGREGATE_IDENTIFIER);
                String eventIdentifier = resultSet.getString(ReadColumns.EVENT_IDENTIFIER);
                return new StoredEventEntry<>(
                        resultSet.getString(ReadColumns.TYPE),
                        tracked && eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                        resultSet.getLong(ReadColumns.SEQUENCE_NUMBER),
                        eventIdentifier,
                        resultSet.getString(ReadColumns.TIMESTAMP),
                        resultSet.getString(ReadColumns.PAYLOAD_TYPE),
                        resultSet.getString(ReadColumns.PAYLOAD_REVISION),
                        resultSet.getBytes(ReadColumns.PAYLOAD),
                        resultSet.getBytes(ReadColumns.META_DATA));
            }
        };
    }
}
