package io.chatsystem.api.message;

import java.time.Instant;

public record MessageSent(String applicationToken, int chatNumber, int messageNumber, String body, Instant sentAt) {
}
