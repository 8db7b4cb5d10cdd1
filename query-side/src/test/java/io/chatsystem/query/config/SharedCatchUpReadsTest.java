package io.chatsystem.query.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.chatsystem.api.message.MessageSent;
import io.chatsystem.axon.EventTables;
import io.chatsystem.axon.wire.AppSerializers;
import io.chatsystem.axon.wire.WireContract;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.MySqlEventTableFactory;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Processors behind the head share the pages of the stream they read: each page is read from the event table
 * once while it is kept, every reader gets what the table's own engine gives, and none waits for another
 * except for a page being read.
 */
class SharedCatchUpReadsTest {

    private static final int PAGE = 100;

    private final WireContract.Serializers serializers = AppSerializers.load();
    private final JdbcDataSource database = database();
    private final JdbcEventStorageEngine table = eventTable();
    /** Stream reads that reached the event table. */
    private final AtomicInteger reads = new AtomicInteger();
    /** Runs before each stream read reaches the event table. */
    private final AtomicReference<Runnable> beforeRead = new AtomicReference<>(() -> { });

    @Test
    void readersFromOneTokenShareThePagesAndGetWhatTheTableHas() {
        append(1, 250);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);

        List<TrackedEventMessage<?>> first = readAll(shared);
        List<TrackedEventMessage<?>> second = readAll(shared);

        List<? extends TrackedEventMessage<?>> expected = table.readEvents(null, false).toList();
        assertThat(described(first)).isEqualTo(described(expected));
        assertThat(described(second)).isEqualTo(described(expected));
        // two full pages read once; the short last one, read at the head, is read by each reader
        assertThat(reads).hasValue(3 + 1);
        // the very events, so that a payload is deserialized once
        for (int i = 0; i < 2 * PAGE; i++) {
            assertThat(second.get(i)).isSameAs(first.get(i));
        }
    }

    @Test
    void aReaderFromATokenContinuesAfterIt() {
        append(1, 250);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);
        List<TrackedEventMessage<?>> all = readAll(shared);

        List<TrackedEventMessage<?>> after = shared.readEvents(all.get(PAGE - 1).trackingToken(), false)
                .<TrackedEventMessage<?>>map(e -> e).toList();

        assertThat(described(after)).isEqualTo(described(all.subList(PAGE, all.size())));
    }

    @Test
    void aReaderBehindTheKeptPagesReadsItsOwn() {
        append(1, 300);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 1);

        readAll(shared);
        int byFirst = reads.get();
        List<TrackedEventMessage<?>> second = readAll(shared);

        assertThat(byFirst).isEqualTo(4);
        // each page it reached had been pushed out by the one it read before (with 8 kept it would read 1)
        assertThat(reads.get() - byFirst).isEqualTo(4);
        assertThat(described(second)).isEqualTo(described(table.readEvents(null, false).toList()));
    }

    @Test
    void aPageReadAtTheHeadIsNotKeptForLaterReaders() {
        append(1, 50);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);
        assertThat(readAll(shared)).hasSize(50);

        append(51, 120);

        assertThat(readAll(shared)).hasSize(120);
    }

    @Test
    void pagesWhoseTokensCarryGapsAreNotKept() throws Exception {
        append(1, 250);
        try (var connection = database.getConnection()) {
            // an append that rolled back a moment ago: every token after it carries the hole
            connection.createStatement().execute("DELETE FROM domain_event_entry WHERE global_index = 50");
        }
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);

        readAll(shared);
        readAll(shared);
        assertThat(reads).hasValue(3 + 3);

        Clock now = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.offset(now, Duration.ofMinutes(2));
        try {
            // a minute on, the hole is no longer waited for: the pages carry no gaps and are kept
            readAll(shared);
            readAll(shared);
            assertThat(reads).hasValue(6 + 3 + 1);
        } finally {
            GenericEventMessage.clock = now;
        }
    }

    @Test
    void aReaderAskingForAPageBeingReadWaitsForThatRead() throws Exception {
        append(1, 150);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        beforeRead.set(() -> {
            reading.countDown();
            await(release);
        });

        CompletableFuture<List<TrackedEventMessage<?>>> first = CompletableFuture.supplyAsync(() -> firstPage(shared));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        beforeRead.set(() -> { });
        CompletableFuture<List<TrackedEventMessage<?>>> second = CompletableFuture.supplyAsync(() -> firstPage(shared));
        Thread.sleep(200);
        assertThat(second).isNotDone();
        release.countDown();

        assertThat(second.get(10, TimeUnit.SECONDS)).containsExactlyElementsOf(first.get(10, TimeUnit.SECONDS));
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadFailsItsReadersAndIsNotKept() {
        append(1, 150);
        SharedCatchUpReads shared = new SharedCatchUpReads(counted(table), PAGE, 8);
        beforeRead.set(() -> {
            throw new IllegalStateException("database away");
        });

        assertThatThrownBy(() -> readAll(shared)).hasMessage("database away");

        beforeRead.set(() -> { });
        assertThat(readAll(shared)).hasSize(150);
    }

    private static List<TrackedEventMessage<?>> firstPage(SharedCatchUpReads shared) {
        return shared.readEvents(null, false).limit(PAGE).<TrackedEventMessage<?>>map(e -> e).toList();
    }

    private static List<TrackedEventMessage<?>> readAll(SharedCatchUpReads shared) {
        return shared.readEvents(null, false).<TrackedEventMessage<?>>map(e -> e).toList();
    }

    private void append(int from, int to) {
        List<GenericDomainEventMessage<MessageSent>> events = new ArrayList<>();
        for (int number = from; number <= to; number++) {
            events.add(new GenericDomainEventMessage<>("Chat", "token/1", number - 1,
                    new MessageSent("token", 1, number, "hello " + number, Instant.parse("2026-12-06T08:00:00Z"))));
        }
        table.appendEvents(events);
    }

    /** The table's engine, counting its stream reads and running {@link #beforeRead} first. */
    private EventStorageEngine counted(EventStorageEngine engine) {
        return (EventStorageEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventStorageEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("readEvents") && args.length == 2 && Boolean.FALSE.equals(args[1])) {
                        reads.incrementAndGet();
                        beforeRead.get().run();
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static JdbcDataSource database() {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:shared-" + System.nanoTime() + ";MODE=MySQL;DB_CLOSE_DELAY=-1");
        return database;
    }

    private JdbcEventStorageEngine eventTable() {
        JdbcEventStorageEngine engine = EventTables.storageEngine(serializers.general(), serializers.events(),
                DefaultConfigurer.defaultConfiguration().buildConfiguration(), new JdbcSQLErrorCodesResolver(),
                EventTables.connectionProvider(database), NoTransactionManager.instance(), PAGE);
        engine.createSchema(MySqlEventTableFactory.INSTANCE);
        return engine;
    }

    private static List<List<Object>> described(List<? extends TrackedEventMessage<?>> events) {
        return events.stream().map(event -> List.<Object>of(event.trackingToken(), event.getIdentifier(),
                event.getTimestamp(), event.getPayload())).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
