package io.chatsystem.api.message;

import java.time.Instant;

public record MessageView(int number, String body, Instant createdAt, Instant updatedAt) {
}
