package io.chatsystem.query.chat;

import java.time.Instant;
import java.util.Optional;

import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.ChatList;
import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.chat.ListChatsQuery;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Projects chats into MySQL and answers queries about them. */
@Component
@ProcessingGroup(ChatProjection.NAME)
class ChatProjection {

    static final String NAME = "chats";

    private final ChatRepository chats;

    ChatProjection(ChatRepository chats) {
        this.chats = chats;
    }

    @EventHandler
    void on(ChatCreated event, @Timestamp Instant createdAt) {
        chats.insert(event.applicationToken(), event.chatNumber(), createdAt);
    }

    @ResetHandler
    void reset() {
        chats.clear();
    }

    @QueryHandler
    Optional<ChatView> handle(FindChatQuery query) {
        return chats.find(query.applicationToken(), query.chatNumber());
    }

    @QueryHandler
    ChatList handle(ListChatsQuery query) {
        return new ChatList(chats.list(query.applicationToken(), query.page()));
    }
}
