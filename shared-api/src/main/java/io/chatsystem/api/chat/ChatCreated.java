package io.chatsystem.api.chat;

public record ChatCreated(String applicationToken, int chatNumber) {
}
