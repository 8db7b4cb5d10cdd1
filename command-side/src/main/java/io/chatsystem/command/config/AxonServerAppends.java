package io.chatsystem.command.config;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.axoniq.axonserver.connector.AxonServerException;
import io.axoniq.axonserver.connector.ErrorCategory;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Axon's Axon Server event store as a storage engine, so that {@link GroupCommit} can put the appends of
 * concurrent commands in one append transaction of Axon Server. Axon's store opens a transaction per unit of
 * work; called outside one, as the group's committer calls it, it appends all it is given in one transaction
 * and commits at once. Aggregates are read through it as Axon reads them (its snapshot first), and a sequence
 * number already taken (another writer won the race) is told as Axon tells it elsewhere, a
 * {@link ConcurrencyException}, so that the group is stored append by append and the command retried.
 * The command side reads no event stream.
 */
final class AxonServerAppends implements EventStorageEngine {

    /** Where Axon Server puts its error code in a gRPC error's trailers. */
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("AxonIQ-ErrorCode", Metadata.ASCII_STRING_MARSHALLER);

    private final AxonServerEventStore server;

    AxonServerAppends(AxonServerEventStore server) {
        this.server = server;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        try {
            server.publish(events);
        } catch (RuntimeException e) {
            if (isTakenSequenceNumber(e)) {
                // without the server's exception as its cause: gRPC's and the connector's exceptions tell an
                // unreachable store (StoreCalls answers 503, the gateway does not retry), a lost race is retried
                throw new ConcurrencyException("Another writer appended to the aggregate first: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Whether Axon Server refused the append for a sequence number already taken. Its answer to the commit
     * arrives as the gRPC error itself ({@link StatusRuntimeException}, the error code in its trailers),
     * which Axon's store passes on as it is; the connector's own form is an {@link AxonServerException}.
     */
    static boolean isTakenSequenceNumber(RuntimeException failure) {
        if (failure instanceof AxonServerException server) {
            return server.getErrorCategory() == ErrorCategory.INVALID_EVENT_SEQUENCE;
        }
        if (failure instanceof StatusRuntimeException grpc && grpc.getTrailers() != null) {
            return ErrorCategory.INVALID_EVENT_SEQUENCE.errorCode().equals(grpc.getTrailers().get(ERROR_CODE));
        }
        return false;
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        server.storeSnapshot(snapshot);
    }

    /** The snapshot comes with {@link #readEvents(String)}: Axon Server's read starts at it. */
    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return Optional.empty();
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return server.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return server.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return server.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        throw new UnsupportedOperationException("the command side reads no event stream");
    }

    @Override
    public TrackingToken createTailToken() {
        return server.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return server.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return server.createTokenAt(dateTime);
    }
}
