package io.chatsystem.command.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.chatsystem.axon.ForwardingEventStorageEngine;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent commands share a transaction of the event table. Each command appends its events at
 * the end of its unit of work, and before, each append was a transaction of its own: a begin, an
 * INSERT and a commit per message, when sends to a hundred chats rarely meet on one chat to share a
 * command. Now appends that arrive while one is being stored wait and go together in the next
 * transaction, as one multi-row INSERT and one commit; an append that finds none under way goes at once.
 * Each command still returns only once its own events are committed, so an answer is never sent for an
 * event that is not durable.
 *
 * <p>An append that loses a race (another command side wrote to its aggregate first: a duplicate
 * (aggregate, sequence) key) must fail alone, so that its command is retried on fresh state: when a
 * group fails so, each of its appends is stored again in a transaction of its own. Any other failure
 * (the database down) fails the whole group at once, as it would have failed each of its appends.
 *
 * <p>In the same transaction the group reads back the global index of its last event (one lookup on the
 * event identifier's unique key; a group's rows get ascending indexes), and each of its commands learns it:
 * the position a client's read can wait for (its {@code Consistency-Token}). The group's last event serves
 * for all of its appends, as they commit together: a reader that has read it has read them all.
 *
 * <p>Over Axon Server the same: a group is one append transaction of Axon Server ({@link AxonServerAppends}).
 */
public final class GroupCommit extends ForwardingEventStorageEngine {

    /** {@code stored}: once committed, the global index of the last event of its transaction (at or after its own). */
    private record Append(List<? extends EventMessage<?>> events, CompletableFuture<Long> stored) {
    }

    /** Gauge: appends waiting behind the transaction under way (a frozen database shows here first). */
    public static final String APPENDS_WAITING = "chat.events.appends.waiting";

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final TransactionManager transactions;
    private final Function<String, Long> globalIndex;
    private final LongConsumer storedAt;
    private final int maxEvents;
    private final Duration appendTimeout;
    private final DistributionSummary groupSizes;
    private final BlockingQueue<Append> waiting = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean running = true;

    /**
     * @param table         the event table's engine; each of its appends is one transaction
     * @param transactions  the transactions the engine's appends join, so that the read of their positions does too
     * @param globalIndex   the global index of a stored event, by its identifier (null if it is not stored)
     * @param storedAt      told, on the appending thread, the global index of that append's last event
     * @param maxEvents     most events in one transaction (more wait for the next)
     * @param appendTimeout longest a command waits for its append's transaction (see {@link #appendEvents})
     * @param meters        where the appends per transaction and the appends waiting are recorded
     */
    public GroupCommit(EventStorageEngine table, TransactionManager transactions,
                       Function<String, Long> globalIndex, LongConsumer storedAt,
                       int maxEvents, Duration appendTimeout, MeterRegistry meters) {
        super(table);
        this.transactions = transactions;
        this.globalIndex = globalIndex;
        this.storedAt = storedAt;
        this.maxEvents = maxEvents;
        this.appendTimeout = appendTimeout;
        this.groupSizes = DistributionSummary.builder("chat.events.appends.per.transaction")
                .description("Commands' appends stored together in one transaction of the event table")
                .register(meters);
        Gauge.builder(APPENDS_WAITING, waiting, BlockingQueue::size)
                .description("Commands' appends waiting for the transaction after the one under way")
                .register(meters);
        this.committer = Thread.ofPlatform().name("group-commit").daemon().start(this::commitWhileRunning);
    }

    /**
     * Stores the events with the group's next transaction, and returns once they are committed. A database
     * that holds the transaction (frozen, locked) does not hold the command, and its aggregate, for ever:
     * past {@code appendTimeout} the append is withdrawn if its transaction has not begun (nothing is
     * stored), and the command fails as on an unreachable store (503); if it had begun, its outcome is
     * unknown, as for any write cut off, and a repeat with the same idempotency key finds it if it landed.
     */
    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        Append append = new Append(events, new CompletableFuture<>());
        waiting.add(append);
        if (!running) {
            append.stored().completeExceptionally(new IllegalStateException("the event store is shutting down"));
        }
        try {
            Long position = append.stored().get(appendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (position != null) {
                storedAt.accept(position);
            }
        } catch (TimeoutException e) {
            boolean withdrawn = waiting.remove(append);
            throw new EventStoreException("The event store did not commit the append within " + appendTimeout
                    + (withdrawn ? "; it was withdrawn, nothing is stored" : "; it may yet be stored"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waiting.remove(append);
            throw new EventStoreException("Interrupted while the event store stored the append", e);
        } catch (ExecutionException e) {
            // the store's own exception, as the command would have met it appending alone
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new EventStoreException("The append failed", e.getCause());
        }
    }

    private void commitWhileRunning() {
        while (running) {
            List<Append> group;
            try {
                group = nextGroup();
            } catch (InterruptedException e) {
                break;
            }
            commit(group);
        }
        Append left;
        while ((left = waiting.poll()) != null) {
            left.stored().completeExceptionally(new IllegalStateException("the event store is shutting down"));
        }
    }

    /** Waits for an append, then takes every other one waiting, up to {@code maxEvents} events in all. */
    private List<Append> nextGroup() throws InterruptedException {
        List<Append> group = new ArrayList<>();
        Append first = waiting.take();
        group.add(first);
        int events = first.events().size();
        Append next;
        while ((next = waiting.peek()) != null && events + next.events().size() <= maxEvents) {
            group.add(waiting.remove());
            events += next.events().size();
        }
        return group;
    }

    private void commit(List<Append> group) {
        groupSizes.record(group.size());
        if (group.size() == 1) {
            commitAlone(group.getFirst());
            return;
        }
        List<EventMessage<?>> events = new ArrayList<>();
        group.forEach(append -> events.addAll(append.events()));
        try {
            Long position = store(events);
            group.forEach(append -> append.stored().complete(position));
        } catch (ConcurrencyException | AggregateStreamCreationException lostRace) {
            log.debug("A group of {} appends met a concurrent write; storing each alone", group.size());
            group.forEach(this::commitAlone);
        } catch (RuntimeException | Error failure) {
            group.forEach(append -> append.stored().completeExceptionally(failure));
        }
    }

    private void commitAlone(Append append) {
        try {
            append.stored().complete(store(append.events()));
        } catch (RuntimeException | Error failure) {
            append.stored().completeExceptionally(failure);
        }
    }

    /** Appends the events in one transaction; the global index of the last of them. */
    private Long store(List<? extends EventMessage<?>> events) {
        return transactions.fetchInTransaction(() -> {
            engine().appendEvents(events);
            return globalIndex.apply(events.getLast().getIdentifier());
        });
    }

    /** Stops taking appends; those still waiting fail. */
    public void shutDown() throws InterruptedException {
        running = false;
        committer.interrupt();
        committer.join();
    }
}
