package io.chatsystem.api.message;

/** One message of a {@link SendMessagesCommand}: its body, and its request's Idempotency-Key (or null). */
public record MessageToSend(String body, String idempotencyKey) {
}
