package io.chatsystem.api.message;

public record FindMessageQuery(String applicationToken, int chatNumber, int messageNumber) {
}
