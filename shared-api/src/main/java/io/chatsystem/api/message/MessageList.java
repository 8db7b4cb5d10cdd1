package io.chatsystem.api.message;

import java.util.List;

/** One page of a chat's messages: ordered by number when listed, best match first when searched. */
public record MessageList(List<MessageView> messages) {
}
