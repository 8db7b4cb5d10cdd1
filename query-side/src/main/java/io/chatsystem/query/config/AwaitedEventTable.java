package io.chatsystem.query.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.chatsystem.axon.EventTables;
import io.chatsystem.axon.ForwardingEventStorageEngine;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command side's event table as the query side reads it while the command side has not created it
 * yet (the two start in any order, and the table is the command side's migration): an empty store until
 * it is there, where every processor and health check would otherwise fail and log a stack trace each
 * second. Told once each way at INFO; {@link #present()} is false meanwhile (health shows it DOWN).
 * Once seen, the table is not looked for again.
 */
final class AwaitedEventTable extends ForwardingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(AwaitedEventTable.class);
    /** SQLSTATE of a table that does not exist (MySQL, MariaDB). */
    private static final String NO_SUCH_TABLE = "42S02";
    private static final String PROBE = "SELECT 1 FROM " + EventTables.SCHEMA.domainEventTable() + " WHERE 1 = 0";

    private final DataSource dataSource;
    private volatile boolean present;
    private volatile boolean toldMissing;

    AwaitedEventTable(EventStorageEngine table, DataSource dataSource) {
        super(table);
        this.dataSource = dataSource;
    }

    /** Whether the event table exists; a database that cannot be asked counts as having it (its reads fail as they would). */
    boolean present() {
        if (present) {
            return true;
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeQuery(PROBE).close();
            present = true;
            if (toldMissing) {
                log.info("The event table is there: the projections read it");
            }
            return true;
        } catch (SQLException e) {
            if (!NO_SUCH_TABLE.equals(e.getSQLState())) {
                return true;
            }
            if (!toldMissing) {
                toldMissing = true;
                log.info("The event table is not there yet (the command side creates it): the projections wait for it");
            }
            return false;
        }
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return present() ? engine().readEvents(trackingToken, mayBlock) : Stream.empty();
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return present() ? engine().readEvents(aggregateIdentifier) : DomainEventStream.empty();
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return present() ? engine().readEvents(aggregateIdentifier, firstSequenceNumber) : DomainEventStream.empty();
    }

    /** The tail of an empty store: from the first event, whenever it comes. */
    @Override
    public TrackingToken createTailToken() {
        return present() ? engine().createTailToken() : null;
    }

    @Override
    public TrackingToken createHeadToken() {
        return present() ? engine().createHeadToken() : null;
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return present() ? engine().createTokenAt(dateTime) : null;
    }
}
