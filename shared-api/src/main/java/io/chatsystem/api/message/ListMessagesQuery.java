package io.chatsystem.api.message;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record ListMessagesQuery(String applicationToken, int chatNumber, PageSpec page)
        implements Query<MessageList> {

    @Override
    public ResponseType<MessageList> responseType() {
        return ResponseTypes.instanceOf(MessageList.class);
    }
}
