package io.chatsystem.api.message;

import java.time.Instant;

/** The command side's answer to an edit: what the message now says. */
public record EditedMessage(int number, String body, Instant editedAt) {
}
