package io.chatsystem.query.message;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.MessagesAfterQuery;
import jakarta.annotation.PreDestroy;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One Axon subscription query per chat that has open streams on this instance, its updates handed to
 * each of those streams. A thousand clients on one chat cost the update emitter (and, over Axon
 * Server, the wire) one subscription instead of a thousand; each stream still keeps its own order
 * and position.
 *
 * <p>The heartbeat that keeps idle streams open is one timer for all of them: a stream waits for its
 * next change or heartbeat without a timeout of its own (a timed wait arms and cancels a timer on
 * every change, a thousand times per message on a chat with a thousand streams).
 */
@Component
class ChatSubscriptions {

    /** What a stream is told, in order, on the chat's thread: never block in these. */
    interface Listener {
        /** A change of its chat. */
        void changed(MessageChange change);

        /** Time for the stream's keep-alive comment. */
        void heartbeat();

        /** The subscription ended (its client resumes by id). */
        void ended();
    }

    /** A stream's place in its chat's subscription; close it when the stream ends. */
    interface Membership extends AutoCloseable {
        @Override
        void close();
    }

    private record Chat(String token, int number) {
    }

    /** One chat's subscription and its streams. */
    private final class Shared {
        private final Chat chat;
        private final List<Listener> listeners = new CopyOnWriteArrayList<>();
        private SubscriptionQueryResult<MessageList, MessageChange> subscription;
        private boolean over; // guarded by ChatSubscriptions.this
        private int newestSent; // guarded by this
        /** The last edit passed on, by message number, for the most recently edited messages; guarded by this. */
        private final Map<Integer, Edit> lastEdits = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Edit> eldest) {
                return size() > EDITED_MESSAGES;
            }
        };

        Shared(Chat chat) {
            this.chat = chat;
        }

        /**
         * Over Axon Server a subscription is registered with every query side, and each one's feed emits every
         * change of the chat: the same change arrives once per instance, in each instance's order. A message is
         * passed on at its first arrival; an edit only when it is newer than the last one passed on for its
         * message (a feed behind the others may still send an older version after a newer one).
         */
        synchronized void changed(MessageChange change) {
            MessageView message = change.message();
            if (change.kind() == MessageChange.Kind.SENT) {
                if (message.number() <= newestSent) {
                    return;
                }
                newestSent = message.number();
            } else {
                Edit edit = new Edit(message.updatedAt(), message.body().hashCode());
                Edit passed = lastEdits.get(message.number());
                if (passed != null && (edit.equals(passed)
                        || edit.at() != null && passed.at() != null && edit.at().isBefore(passed.at()))) {
                    return;
                }
                lastEdits.put(message.number(), edit);
            }
            for (Listener listener : listeners) {
                listener.changed(change);
            }
        }

        /** The subscription failed or completed: its streams end (their clients resume by id); a new one starts afresh. */
        void ended() {
            synchronized (ChatSubscriptions.this) {
                over = true;
                chats.remove(chat, this);
            }
            for (Listener listener : listeners) {
                listener.ended();
            }
        }

        void heartbeat() {
            for (Listener listener : listeners) {
                listener.heartbeat();
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ChatSubscriptions.class);
    /** Messages per chat whose last edit is remembered, to recognise the copies other instances send. */
    private static final int EDITED_MESSAGES = 256;

    /** An edit as passed on: when it was made, and its body's hash (two edits may share an instant). */
    private record Edit(Instant at, int body) {
    }

    private final QueryGateway gateway;
    private final Map<Chat, Shared> chats = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stream-timer").factory());

    @Autowired
    ChatSubscriptions(QueryGateway gateway, MessageStreams.Settings settings) {
        this(gateway, settings.heartbeat());
    }

    ChatSubscriptions(QueryGateway gateway, Duration heartbeat) {
        this.gateway = gateway;
        timer.scheduleAtFixedRate(this::heartbeat, heartbeat.toNanos(), heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Adds {@code listener} to the chat's subscription, subscribing first if the chat has none here.
     * Changes committed from now on reach it; what was committed before, the stream reads itself.
     */
    Membership join(String token, int chatNumber, Listener listener) {
        Chat chat = new Chat(token, chatNumber);
        Shared shared;
        synchronized (this) {
            shared = chats.get(chat);
            if (shared == null) {
                shared = subscribe(chat);
                if (!shared.over) {
                    chats.put(chat, shared);
                }
            }
            shared.listeners.add(listener);
        }
        Shared joined = shared;
        return () -> leave(joined, listener);
    }

    private Shared subscribe(Chat chat) {
        Shared shared = new Shared(chat);
        // the initial answer is not used (limit 0): each stream reads what is stored from its own position
        MessagesAfterQuery query = new MessagesAfterQuery(chat.token(), chat.number(), 0, 0);
        shared.subscription = gateway.subscriptionQuery(query, query.responseType(), query.updateType());
        shared.subscription.updates().subscribe(shared::changed, failure -> {
            log.info("Live updates of chat {} of {} failed, its streams end (clients resume): {}",
                    chat.number(), chat.token(), failure.toString());
            shared.ended();
        }, () -> {
            if (!shared.listeners.isEmpty()) {
                log.info("Live updates of chat {} of {} were completed by the query bus, its streams end (clients resume)",
                        chat.number(), chat.token());
            }
            shared.ended();
        });
        return shared;
    }

    private void leave(Shared shared, Listener listener) {
        boolean last;
        synchronized (this) {
            shared.listeners.remove(listener);
            last = shared.listeners.isEmpty() && chats.remove(shared.chat, shared);
        }
        if (last) {
            shared.subscription.cancel();
        }
    }

    private void heartbeat() {
        List<Shared> subscribed;
        synchronized (this) {
            subscribed = List.copyOf(chats.values());
        }
        try {
            subscribed.forEach(Shared::heartbeat);
        } catch (RuntimeException e) {
            // a failed run would cancel the timer, and with it every stream's heartbeat
            log.warn("Stream heartbeat failed", e);
        }
    }

    /** Chats with a subscription on this instance. */
    synchronized int subscribedChats() {
        return chats.size();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
