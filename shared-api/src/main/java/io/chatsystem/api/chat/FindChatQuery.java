package io.chatsystem.api.chat;

import java.util.Optional;

import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record FindChatQuery(String applicationToken, int chatNumber) implements Query<Optional<ChatView>> {

    @Override
    public ResponseType<Optional<ChatView>> responseType() {
        return ResponseTypes.optionalInstanceOf(ChatView.class);
    }
}
