package io.chatsystem.api.message;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/**
 * Messages of one chat whose body contains every word of {@code text} (parts of words too), best first;
 * {@code skip}: results of the page already received (an answer that said {@link MessageList#more()}).
 */
public record SearchMessagesQuery(String applicationToken, int chatNumber, String text, PageSpec page, int skip)
        implements Query<MessageList> {

    public SearchMessagesQuery(String applicationToken, int chatNumber, String text, PageSpec page) {
        this(applicationToken, chatNumber, text, page, 0);
    }

    @Override
    public ResponseType<MessageList> responseType() {
        return ResponseTypes.instanceOf(MessageList.class);
    }
}
