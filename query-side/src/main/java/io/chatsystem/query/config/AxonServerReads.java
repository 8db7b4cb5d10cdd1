package io.chatsystem.query.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon Server's event stream as a storage engine, so that Axon's {@code EmbeddedEventStore} shares it among
 * the query side's processors. Read directly, Axon Server gives each processor (and each segment of a
 * tracking processor) a stream of its own: every event crosses the wire, is parsed and deserialized once per
 * processor and segment (eleven times here), and Axon Server sends each copy. Through the embedded store the
 * processors near the head read one stream, from a cache of recent events; one far behind (a replay, a
 * catch-up) reads a stream of its own up to the head, and then joins the shared one.
 *
 * <p>The query side only reads: appends and snapshots are refused.
 */
final class AxonServerReads implements EventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(AxonServerReads.class);

    /** How often a stream waiting for events checks whether it was closed. */
    private static final Duration CLOSE_CHECK = Duration.ofMillis(500);

    private final EventStore server;
    private final Duration eventTimeout;
    private final AtomicBoolean failing = new AtomicBoolean();

    /**
     * @param server       Axon Server's event store (its streams, its aggregate reads and tokens)
     * @param eventTimeout how long a read up to the head waits for an event Axon Server has, before it fails
     *                     (the processor then retries with back-off)
     */
    AxonServerReads(EventStore server, Duration eventTimeout) {
        this.server = server;
        this.eventTimeout = eventTimeout;
    }

    /**
     * With {@code mayBlock}, the shared stream: it waits for new events until it is closed. Without, the
     * events stored when it is opened, and then it ends (the reader then joins the shared stream, or, when
     * that has moved on, reads again).
     */
    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        if (mayBlock) {
            return follow(trackingToken);
        }
        long head = position(server.createHeadToken());
        if (position(trackingToken) >= head) {
            return Stream.empty();
        }
        return upTo(trackingToken, head);
    }

    /**
     * A failure ends the shared stream, and the embedded store opens it again after its fetch delay. It is
     * told once (the projections wait meanwhile), and its end once.
     */
    private Stream<TrackedEventMessage<?>> follow(TrackingToken after) {
        BlockingStream<TrackedEventMessage<?>> events;
        try {
            events = server.openStream(after);
        } catch (RuntimeException e) {
            failed(e);
            return Stream.empty();
        }
        var reads = new Spliterators.AbstractSpliterator<TrackedEventMessage<?>>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            volatile boolean closed;

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                try {
                    while (!closed) {
                        if (events.hasNextAvailable((int) CLOSE_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                            TrackedEventMessage<?> event = events.nextAvailable();
                            if (failing.compareAndSet(true, false)) {
                                log.info("Axon Server's event stream is back; the projections go on");
                            }
                            action.accept(event);
                            return true;
                        }
                    }
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (RuntimeException e) {
                    if (!closed) {
                        failed(e);
                    }
                    return false;
                }
            }
        };
        return StreamSupport.stream(reads, false).onClose(() -> {
            reads.closed = true;
            events.close();
        });
    }

    private Stream<TrackedEventMessage<?>> upTo(TrackingToken after, long head) {
        BlockingStream<TrackedEventMessage<?>> events = server.openStream(after);
        var reads = new Spliterators.AbstractSpliterator<TrackedEventMessage<?>>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            long last = position(after);

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                if (last >= head) {
                    return false;
                }
                try {
                    if (!events.hasNextAvailable((int) eventTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new EventStoreException("Axon Server sent no event after position " + last
                                + " within " + eventTimeout + ", though its head is at " + head);
                    }
                    TrackedEventMessage<?> event = events.nextAvailable();
                    last = position(event.trackingToken());
                    action.accept(event);
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        return StreamSupport.stream(reads, false).onClose(events::close);
    }

    private void failed(RuntimeException failure) {
        if (failing.compareAndSet(false, true)) {
            log.warn("Axon Server's event stream failed ({}); the projections wait until it is back", failure.toString());
        }
    }

    /** The global index of the event a token stands at; -1 before the first. */
    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return server.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        // an aggregate's history is read whole here (the audit): Axon Server's own reads start at a snapshot
        return Optional.empty();
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return server.lastSequenceNumberFor(aggregateIdentifier);
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

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        throw new UnsupportedOperationException("the query side only reads events");
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        throw new UnsupportedOperationException("the query side only reads events");
    }
}
