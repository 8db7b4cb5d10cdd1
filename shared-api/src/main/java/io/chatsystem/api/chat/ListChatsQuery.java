package io.chatsystem.api.chat;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record ListChatsQuery(String applicationToken, PageSpec page) implements Query<ChatList> {

    @Override
    public ResponseType<ChatList> responseType() {
        return ResponseTypes.instanceOf(ChatList.class);
    }
}
