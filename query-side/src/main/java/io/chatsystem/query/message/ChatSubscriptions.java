package io.chatsystem.query.message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessagesAfterQuery;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.stereotype.Component;

/**
 * One Axon subscription query per chat that has open streams on this instance, its updates handed to
 * each of those streams. A thousand clients on one chat cost the update emitter (and, over Axon
 * Server, the wire) one subscription instead of a thousand; each stream still keeps its own order
 * and position.
 */
@Component
class ChatSubscriptions {

    /** What a stream is told: each change of its chat, and that the subscription ended. */
    interface Listener {
        void changed(MessageChange change);

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

        Shared(Chat chat) {
            this.chat = chat;
        }

        void changed(MessageChange change) {
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
    }

    private final QueryGateway gateway;
    private final Map<Chat, Shared> chats = new HashMap<>();

    ChatSubscriptions(QueryGateway gateway) {
        this.gateway = gateway;
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
        shared.subscription.updates().subscribe(shared::changed, failure -> shared.ended(), shared::ended);
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

    /** Chats with a subscription on this instance. */
    synchronized int subscribedChats() {
        return chats.size();
    }
}
