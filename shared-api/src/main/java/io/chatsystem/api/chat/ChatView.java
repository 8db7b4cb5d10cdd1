package io.chatsystem.api.chat;

public record ChatView(int number, long messagesCount) {
}
