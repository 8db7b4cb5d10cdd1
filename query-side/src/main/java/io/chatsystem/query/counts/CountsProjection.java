package io.chatsystem.query.counts;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.query.config.PerBatch;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

import static io.chatsystem.query.counts.CountFigures.Kind.CHATS_PER_APPLICATION;
import static io.chatsystem.query.counts.CountFigures.Kind.MESSAGES_PER_CHAT;

/**
 * Keeps {@code chats_count} and {@code messages_count} as figures in Redis. A batch of events
 * becomes one script call per kind of figure; {@link CountsFlusher} writes them to MySQL.
 */
@Component
@ProcessingGroup(CountsProjection.NAME)
class CountsProjection {

    static final String NAME = "counts";

    private final CountFigures figures;

    CountsProjection(CountFigures figures) {
        this.figures = figures;
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

    @ResetHandler
    void reset() {
        figures.clear();
    }

    private void raise(CountFigures.Kind kind, String entry, long number) {
        Map<CountFigures.Kind, Map<String, Long>> batch = PerBatch.resource(NAME,
                () -> new EnumMap<>(CountFigures.Kind.class),
                raised -> raised.forEach(figures::raise));
        batch.computeIfAbsent(kind, k -> new HashMap<>()).merge(entry, number, Math::max);
    }
}
