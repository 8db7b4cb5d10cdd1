package io.chatsystem.api.message;

import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

/**
 * The chat's messages numbered after {@code after}, at most {@code limit} of them, in number order.
 * Asked as a subscription query, it also delivers each {@link MessageChange} of the chat once the
 * change is readable: a chat's live stream.
 */
public record MessagesAfterQuery(String applicationToken, int chatNumber, int after, int limit)
        implements Query<MessageList> {

    @Override
    public ResponseType<MessageList> responseType() {
        return ResponseTypes.instanceOf(MessageList.class);
    }

    public ResponseType<MessageChange> updateType() {
        return ResponseTypes.instanceOf(MessageChange.class);
    }

    /** Whether a change of this chat belongs to this query's subscribers. */
    public boolean isAbout(String token, int chat) {
        return chatNumber == chat && applicationToken.equals(token);
    }
}
