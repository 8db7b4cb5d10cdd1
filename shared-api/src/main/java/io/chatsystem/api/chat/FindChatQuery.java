package io.chatsystem.api.chat;

public record FindChatQuery(String applicationToken, int chatNumber) {
}
