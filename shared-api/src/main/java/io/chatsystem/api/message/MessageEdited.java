package io.chatsystem.api.message;

import java.time.Instant;

public record MessageEdited(String applicationToken, int chatNumber, int messageNumber, String body, Instant editedAt) {
}
