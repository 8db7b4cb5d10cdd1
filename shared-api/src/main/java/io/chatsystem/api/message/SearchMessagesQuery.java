package io.chatsystem.api.message;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/** Messages of one chat whose body contains every word of {@code text} (parts of words too), best first. */
public record SearchMessagesQuery(String applicationToken, int chatNumber, String text, PageSpec page)
        implements Query<MessageList> {

    @Override
    public ResponseType<MessageList> responseType() {
        return ResponseTypes.instanceOf(MessageList.class);
    }
}
