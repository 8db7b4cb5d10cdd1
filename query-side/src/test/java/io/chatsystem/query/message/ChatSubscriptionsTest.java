package io.chatsystem.query.message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.MessagesAfterQuery;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The streams of one chat share one subscription query on Axon's own query bus and update emitter. */
class ChatSubscriptionsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final SimpleQueryBus bus = SimpleQueryBus.builder().queryUpdateEmitter(emitter).build();
    private final ChatSubscriptions subscriptions =
            new ChatSubscriptions(DefaultQueryGateway.builder().queryBus(bus).build(), HOUR);

    ChatSubscriptionsTest() {
        bus.subscribe(MessagesAfterQuery.class.getName(), MessageList.class, query -> new MessageList(List.of()));
    }

    @Test
    void streamsOfOneChatShareOneSubscriptionAndEachGetsEveryChange() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Recorder otherChat = new Recorder();
        try (var a = subscriptions.join("app", 1, first); var b = subscriptions.join("app", 1, second);
             var c = subscriptions.join("app", 2, otherChat)) {
            assertThat(emitter.activeSubscriptions()).as("one subscription per chat").hasSize(2);
            assertThat(subscriptions.subscribedChats()).isEqualTo(2);

            emit("app", 1, 1);
            emit("app", 1, 2);
            emit("app", 2, 1);

            assertThat(first.numbers).containsExactly(1, 2);
            assertThat(second.numbers).containsExactly(1, 2);
            assertThat(otherChat.numbers).containsExactly(1);
        }
        assertThat(emitter.activeSubscriptions()).as("cancelled with the chat's last stream").isEmpty();
        assertThat(subscriptions.subscribedChats()).isZero();
    }

    @Test
    void aStreamLeavingKeepsTheSubscriptionForTheOthers() {
        Recorder staying = new Recorder();
        Recorder leaving = new Recorder();
        try (var stays = subscriptions.join("app", 1, staying)) {
            subscriptions.join("app", 1, leaving).close();
            emit("app", 1, 1);
            assertThat(staying.numbers).containsExactly(1);
            assertThat(leaving.numbers).isEmpty();
            assertThat(emitter.activeSubscriptions()).hasSize(1);
        }
    }

    @Test
    void whenTheSubscriptionEndsItsStreamsEndAndANewStreamSubscribesAfresh() {
        Recorder before = new Recorder();
        try (var ends = subscriptions.join("app", 1, before)) {
            emitter.complete(MessagesAfterQuery.class, query -> query.isAbout("app", 1));
            assertThat(before.ended.get()).isEqualTo(1);

            Recorder after = new Recorder();
            try (var fresh = subscriptions.join("app", 1, after)) {
                emit("app", 1, 1);
                assertThat(after.numbers).containsExactly(1);
                assertThat(before.numbers).isEmpty();
            }
        }
    }

    /**
     * Over Axon Server every query side's feed emits each change to every subscription, each instance in its
     * own order, and a feed reads an edit when it releases it: one that is behind may send the first version
     * of a message after another sent the second. The streams get each message once and each edit once,
     * and never an older version after a newer one.
     */
    @Test
    void copiesOfAChangeFromOtherInstancesReachTheStreamsOnce() {
        Recorder stream = new Recorder();
        try (var joined = subscriptions.join("app", 1, stream)) {
            emit("app", 1, 1);
            emit("app", 1, 2);
            emit("app", 1, 1); // the other instance, behind
            emitEdit("app", 1, 1, "second version", 2); // this instance released both edits at once
            emitEdit("app", 1, 1, "second version", 2);
            emit("app", 1, 2);
            emitEdit("app", 1, 1, "first version", 1); // the other instance, one edit at a time
            emitEdit("app", 1, 1, "second version", 2);
            emit("app", 1, 3);
            emitEdit("app", 1, 1, "third version", 3);
            emitEdit("app", 1, 1, "third version, same instant", 3);

            assertThat(stream.numbers).containsExactly(1, 2, 1, 3, 1, 1);
            assertThat(stream.bodies).containsExactly("body 1", "body 2", "second version", "body 3",
                    "third version", "third version, same instant");
        }
    }

    @Test
    void everyStreamGetsTheHeartbeatFromOneTimer() throws Exception {
        ChatSubscriptions beating = new ChatSubscriptions(DefaultQueryGateway.builder().queryBus(bus).build(),
                Duration.ofMillis(100));
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        try (var a = beating.join("app", 1, first); var b = beating.join("app", 2, second)) {
            Thread.sleep(550);
            assertThat(first.heartbeats.get()).isBetween(3, 6);
            assertThat(second.heartbeats.get()).isBetween(3, 6);
        } finally {
            beating.stop();
        }
    }

    private void emit(String token, int chat, int number) {
        MessageChange change = new MessageChange(MessageChange.Kind.SENT,
                new MessageView(number, "body " + number, Instant.EPOCH, null));
        emitter.emit(MessagesAfterQuery.class, query -> query.isAbout(token, chat), change);
    }

    private void emitEdit(String token, int chat, int number, String body, int editedAtSecond) {
        MessageChange change = new MessageChange(MessageChange.Kind.EDITED,
                new MessageView(number, body, Instant.EPOCH, Instant.EPOCH.plusSeconds(editedAtSecond)));
        emitter.emit(MessagesAfterQuery.class, query -> query.isAbout(token, chat), change);
    }

    private static final class Recorder implements ChatSubscriptions.Listener {
        final List<Integer> numbers = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger heartbeats = new AtomicInteger();

        @Override
        public void changed(MessageChange change) {
            numbers.add(change.message().number());
            bodies.add(change.message().body());
        }

        @Override
        public void heartbeat() {
            heartbeats.incrementAndGet();
        }

        @Override
        public void ended() {
            ended.incrementAndGet();
        }
    }
}
