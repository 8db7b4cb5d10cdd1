package io.chatsystem.query.counts;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.query.config.PerBatch;
import org.axonframework.eventhandling.EventHandler;

import static io.chatsystem.query.counts.CountFigures.Kind.CHATS_PER_APPLICATION;
import static io.chatsystem.query.counts.CountFigures.Kind.MESSAGES_PER_CHAT;

/**
 * Keeps {@code chats_count} and {@code messages_count} as figures of one version in Redis
 * ({@link CountsReadModel}). A batch of events becomes one script call per kind of figure;
 * {@link CountsFlusher} writes the live version's to MySQL.
 */
class CountsProjection {

    private final CountFigures figures;
    private final int version;

    CountsProjection(CountFigures figures, int version) {
        this.figures = figures;
        this.version = version;
    }

    @EventHandler
    void on(ChatCreated event) {
        raise(CHATS_PER_APPLICATION, event.applicationToken(), event.chatNumber());
    }

    @EventHandler
    void on(MessageSent event) {
        raise(MESSAGES_PER_CHAT, CountFigures.chatKey(event.applicationToken(), event.chatNumber()),
                event.messageNumber());
    }

    private void raise(CountFigures.Kind kind, String entry, long number) {
        Map<CountFigures.Kind, Map<String, Long>> batch = PerBatch.resource(CountsProjection.class.getName(),
                () -> new EnumMap<>(CountFigures.Kind.class),
                raised -> raised.forEach((raisedKind, raisedFigures) -> figures.raise(version, raisedKind, raisedFigures)));
        batch.computeIfAbsent(kind, k -> new HashMap<>()).merge(entry, number, Math::max);
    }
}
