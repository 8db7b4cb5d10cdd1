package io.chatsystem.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit} over an in-memory engine that records each of its appends (one transaction of
 * the event table each) and can be held, or made to fail, like the table.
 */
class GroupCommitTest {

    /** The event table's stand-in: every append is recorded; the first may be held until released. */
    private static final class Table extends InMemoryEventStorageEngine {
        final List<List<String>> transactions = new CopyOnWriteArrayList<>();
        /** Global index of each stored event, by event identifier, as the table's auto-increment gives them. */
        final Map<String, Long> globalIndexes = new ConcurrentHashMap<>();
        private long lastIndex;
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        volatile Predicate<List<String>> fails = aggregates -> false;
        volatile RuntimeException failure;

        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            List<String> aggregates = events.stream()
                    .map(event -> ((DomainEventMessage<?>) event).getAggregateIdentifier()).toList();
            transactions.add(aggregates);
            if (transactions.size() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
            if (fails.test(aggregates)) {
                throw failure;
            }
            super.appendEvents(events);
            synchronized (this) {
                events.forEach(event -> globalIndexes.put(event.getIdentifier(), ++lastIndex));
            }
        }
    }

    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(2);

    private final Table table = new Table();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    /** The position each append reported, by the thread that appended. */
    private final Map<Thread, Long> reported = new ConcurrentHashMap<>();
    private final GroupCommit groupCommit = new GroupCommit(table, NoTransactionManager.INSTANCE,
            table.globalIndexes::get,
            position -> reported.put(Thread.currentThread(), position), 1000, APPEND_TIMEOUT, meters);

    @AfterEach
    void stop() throws InterruptedException {
        table.releaseFirst.countDown();
        groupCommit.shutDown();
    }

    /**
     * A held transaction (a frozen database) does not hold the commands for ever: one whose transaction has
     * not begun is withdrawn (nothing of it is stored, even once the database answers); the one whose
     * transaction is under way fails too, its outcome unknown.
     */
    @Test
    void anAppendGivesUpAfterItsTimeoutAndOneNotBegunIsNeverStored() throws Exception {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> groupCommit.appendEvents(List.of(event("chat-0"))),
                Thread::startVirtualThread);
        assertThat(table.firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        assertThatThrownBy(() -> groupCommit.appendEvents(List.of(event("chat-1"))))
                .isInstanceOf(EventStoreException.class).hasMessageContaining("withdrawn, nothing is stored");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(APPEND_TIMEOUT);
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(EventStoreException.class)
                .hasMessageContaining("may yet be stored");

        table.releaseFirst.countDown();
        groupCommit.appendEvents(List.of(event("chat-2")));
        assertThat(table.readEvents("chat-1").asStream().count()).isZero();
        assertThat(table.readEvents("chat-2").asStream().count()).isEqualTo(1);
    }

    @Test
    void appendsThatArriveWhileOneIsStoredGoTogetherInTheNextTransaction() throws Exception {
        List<CompletableFuture<Void>> waiting = appendsArrivingWhileOneIsStored();
        CompletableFuture<Void> first = waiting.removeFirst();

        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<Void> append : waiting) {
            append.get(5, TimeUnit.SECONDS);
        }
        // the five waited in one queue, in the order their threads reached it
        assertThat(table.transactions).hasSize(2);
        assertThat(table.transactions.getFirst()).containsExactly("chat-0");
        assertThat(table.transactions.getLast()).containsExactlyInAnyOrder("chat-1", "chat-2", "chat-3", "chat-4", "chat-5");
        for (int chat = 0; chat <= 5; chat++) {
            assertThat(table.readEvents("chat-" + chat).asStream().count()).as("chat-%d stored", chat).isEqualTo(1);
        }
    }

    /** Each command's read can wait for its own events: the append reports where its last event went. */
    @Test
    void eachAppendLearnsWhereItsLastEventWasStored() throws Exception {
        table.releaseFirst.countDown();
        List<EventMessage<?>> first = List.of(event("chat-1"), event("chat-1", 1));
        List<EventMessage<?>> second = List.of(event("chat-2"));
        Map<String, Long> positions = new ConcurrentHashMap<>();
        Thread one = Thread.ofVirtual().start(() -> {
            groupCommit.appendEvents(first);
            positions.put("first", reported.get(Thread.currentThread()));
        });
        one.join();
        Thread two = Thread.ofVirtual().start(() -> {
            groupCommit.appendEvents(second);
            positions.put("second", reported.get(Thread.currentThread()));
        });
        two.join();

        assertThat(positions).containsEntry("first", table.globalIndexes.get(first.getLast().getIdentifier()))
                .containsEntry("second", table.globalIndexes.get(second.getFirst().getIdentifier()));
        assertThat(positions.get("first")).isEqualTo(2);
        assertThat(positions.get("second")).isEqualTo(3);
    }

    /** They commit together: the group's last event is stored when theirs are, and read when theirs are. */
    @Test
    void appendsOfOneGroupEachLearnThePositionOfTheGroupsLastEvent() throws Exception {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        Map<String, Long> positions = new ConcurrentHashMap<>();
        Map<String, String> lastEvents = new ConcurrentHashMap<>();
        waiting.add(append("chat-0"));
        await(table.firstStarted);
        for (int chat = 1; chat <= 3; chat++) {
            String aggregate = "chat-" + chat;
            DomainEventMessage<String> event = event(aggregate);
            lastEvents.put(aggregate, event.getIdentifier());
            waiting.add(CompletableFuture.runAsync(() -> {
                groupCommit.appendEvents(List.of(event));
                positions.put(aggregate, reported.get(Thread.currentThread()));
            }, runnable -> Thread.ofVirtual().start(runnable)));
        }
        awaitQueued(3);
        table.releaseFirst.countDown();
        for (CompletableFuture<Void> append : waiting) {
            append.get(5, TimeUnit.SECONDS);
        }

        assertThat(table.transactions).hasSize(2);
        long groupsLast = lastEvents.values().stream().mapToLong(table.globalIndexes::get).max().orElseThrow();
        lastEvents.forEach((aggregate, identifier) -> {
            assertThat(positions.get(aggregate)).as(aggregate).isEqualTo(groupsLast);
            assertThat(positions.get(aggregate)).isGreaterThanOrEqualTo(table.globalIndexes.get(identifier));
        });
    }

    @Test
    void aLostRaceFailsOnlyItsOwnAppendAndTheOthersAreStored() throws Exception {
        table.failure = new ConcurrencyException("chat-3 was written by another command side");
        table.fails = aggregates -> aggregates.contains("chat-3");
        List<CompletableFuture<Void>> waiting = appendsArrivingWhileOneIsStored();
        CompletableFuture<Void> first = waiting.removeFirst();

        first.get(5, TimeUnit.SECONDS);
        for (int chat = 1; chat <= 5; chat++) {
            CompletableFuture<Void> append = waiting.get(chat - 1);
            if (chat == 3) {
                assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ConcurrencyException.class);
                assertThat(table.readEvents("chat-3").asStream().count()).isZero();
            } else {
                append.get(5, TimeUnit.SECONDS);
                assertThat(table.readEvents("chat-" + chat).asStream().count()).as("chat-%d stored", chat).isEqualTo(1);
            }
        }
    }

    @Test
    void aStoreFailureFailsTheWholeGroupAtOnce() throws Exception {
        table.failure = new IllegalStateException("the database is down");
        table.fails = aggregates -> aggregates.size() > 1;
        List<CompletableFuture<Void>> waiting = appendsArrivingWhileOneIsStored();
        CompletableFuture<Void> first = waiting.removeFirst();

        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<Void> append : waiting) {
            assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("the database is down");
        }
        assertThat(table.transactions).as("no append tried again alone").hasSize(2);
    }

    @Test
    void theAppendersOwnExceptionReachesIt() {
        table.releaseFirst.countDown();
        table.failure = new ConcurrencyException("lost");
        table.fails = aggregates -> true;
        assertThatThrownBy(() -> groupCommit.appendEvents(List.of(event("chat-1"))))
                .isInstanceOf(ConcurrencyException.class).hasMessage("lost");
    }

    /**
     * chat-0's append, held in the table while those of chat-1 to chat-5 arrive and wait; then the
     * table goes on. The six appends, in that order.
     */
    private List<CompletableFuture<Void>> appendsArrivingWhileOneIsStored() throws InterruptedException {
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        appends.add(append("chat-0"));
        await(table.firstStarted);
        for (int chat = 1; chat <= 5; chat++) {
            appends.add(append("chat-" + chat));
        }
        awaitQueued(5);
        assertThat(appends.subList(1, appends.size())).noneMatch(CompletableFuture::isDone);
        table.releaseFirst.countDown();
        return appends;
    }

    private CompletableFuture<Void> append(String aggregate) {
        return CompletableFuture.runAsync(() -> groupCommit.appendEvents(List.of(event(aggregate))),
                runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Waits until {@code count} appends wait behind the one being stored. */
    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (meters.get(GroupCommit.APPENDS_WAITING).gauge().value() < count) {
            assertThat(System.nanoTime()).as("appends queued in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static DomainEventMessage<String> event(String aggregate) {
        return event(aggregate, 0);
    }

    private static DomainEventMessage<String> event(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Chat", aggregate, sequence, "sent in " + aggregate);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
