package io.chatsystem.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.common.stream.BlockingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AxonServerReads} under Axon's embedded event store, as the query side runs it with Axon Server.
 * Axon Server is stood in for by an embedded store over memory: its tokens are global indexes as Axon
 * Server's are, and its streams wait for new events as Axon Server's do. (Against Axon Server itself the
 * system tests run with {@code AXONSERVER_SERVERS}.)
 */
class AxonServerReadsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EmbeddedEventStore server = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final AxonServerReads reads = new AxonServerReads(server, Duration.ofSeconds(2));
    private final EmbeddedEventStore shared = EmbeddedEventStore.builder()
            .storageEngine(reads).fetchDelay(100).cachedEvents(50).build();

    @AfterEach
    void stop() {
        shared.shutDown();
        server.shutDown();
    }

    @Test
    void aReadThatMayNotWaitGivesTheEventsStoredWhenItOpensAndEnds() {
        send(1, 3);

        List<? extends TrackedEventMessage<?>> first = reads.readEvents(null, false).toList();
        send(4, 5);
        List<? extends TrackedEventMessage<?>> rest = reads.readEvents(first.getLast().trackingToken(), false).toList();

        assertThat(payloads(first)).containsExactly("1", "2", "3");
        assertThat(payloads(rest)).containsExactly("4", "5");
        assertThat(reads.readEvents(rest.getLast().trackingToken(), false)).isEmpty();
        assertThat(reads.readEvents(null, false).count()).isEqualTo(5);
    }

    @Test
    void theStreamThatMayWaitGivesEventsSentLaterUntilItIsClosed() throws Exception {
        send(1, 2);
        Stream<? extends TrackedEventMessage<?>> following = reads.readEvents(null, true);
        List<Object> seen = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> following.forEach(event -> {
            synchronized (seen) {
                seen.add(event.getPayload());
            }
        }));

        send(3, 4);
        awaitThat(() -> {
            synchronized (seen) {
                return seen.size() == 4;
            }
        });
        assertThat(reader).isNotDone();
        following.close();

        reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(seen).containsExactly("1", "2", "3", "4");
    }

    @Test
    void processorsOnTheSharedStreamEachGetEveryEventOnceAndInOrder() throws Exception {
        send(1, 20);
        BlockingStream<TrackedEventMessage<?>> fromTheStart = shared.openStream(null);
        BlockingStream<TrackedEventMessage<?>> fromTheTenth = shared.openStream(tokenOf(10));
        // more than the shared cache holds, sent while both read
        send(21, 120);

        assertThat(take(fromTheStart, 120)).isEqualTo(numbers(1, 120));
        assertThat(take(fromTheTenth, 110)).isEqualTo(numbers(11, 120));
        send(121, 125);
        assertThat(take(fromTheStart, 5)).isEqualTo(numbers(121, 125));
        assertThat(take(fromTheTenth, 5)).isEqualTo(numbers(121, 125));
        assertThat(fromTheStart.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
        fromTheStart.close();
        fromTheTenth.close();
    }

    @Test
    void theQuerySideNeverAppends() {
        assertThatThrownBy(() -> reads.appendEvents(List.of(GenericEventMessage.asEventMessage("x"))))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private TrackingToken tokenOf(int number) {
        return reads.readEvents(null, false).skip(number - 1).findFirst().orElseThrow().trackingToken();
    }

    private void send(int from, int to) {
        IntStream.rangeClosed(from, to).forEach(n -> server.publish(GenericEventMessage.asEventMessage(Integer.toString(n))));
    }

    private static List<Object> take(BlockingStream<TrackedEventMessage<?>> stream, int count) throws InterruptedException {
        List<Object> taken = new ArrayList<>();
        while (taken.size() < count && stream.hasNextAvailable((int) WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            taken.add(stream.nextAvailable().getPayload());
        }
        return taken;
    }

    private static List<Object> numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> (Object) Integer.toString(n)).toList();
    }

    private static List<Object> payloads(List<? extends TrackedEventMessage<?>> events) {
        return events.stream().map(event -> (Object) event.getPayload()).toList();
    }

    private static void awaitThat(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
