package io.chatsystem.api.chat;

import java.util.List;

/** One page of an application's chats, ordered by number. */
public record ChatList(List<ChatView> chats) {
}
