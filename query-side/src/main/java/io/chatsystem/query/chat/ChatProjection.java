package io.chatsystem.query.chat;

import java.time.Instant;

import io.chatsystem.api.chat.ChatCreated;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

/** Projects chats into one version of the {@code chats} table ({@link ChatReadModel}). */
class ChatProjection {

    private final ChatRepository.Writes chats;

    ChatProjection(ChatRepository.Writes chats) {
        this.chats = chats;
    }

    @EventHandler
    void on(ChatCreated event, @Timestamp Instant createdAt) {
        chats.insert(event.applicationToken(), event.chatNumber(), createdAt);
    }
}
