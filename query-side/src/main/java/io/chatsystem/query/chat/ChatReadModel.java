package io.chatsystem.query.chat;

import java.util.Optional;

import io.chatsystem.api.chat.ChatList;
import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.chat.ListChatsQuery;
import io.chatsystem.query.replay.ReadModel;
import io.chatsystem.query.replay.VersionedTables;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** The chats read model: its versions ({@link ChatProjection} writes each) and the queries it answers. */
@Component
class ChatReadModel {

    static final String NAME = "chats";

    private final ChatRepository chats;

    ChatReadModel(ChatRepository chats) {
        this.chats = chats;
    }

    @Bean
    static ReadModel chatsReadModel(VersionedTables tables, ChatRepository chats) {
        return tables.readModel(NAME, version -> new ChatProjection(chats.writes(version)));
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
