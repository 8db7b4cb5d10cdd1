package io.chatsystem.command.message;

import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.UnicodeText;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rule for message bodies: not blank, at most {@code maxLength} characters (code points, so
 * an emoji counts as one). The body is kept exactly as sent.
 */
@ConfigurationProperties("chat.messages")
public record MessageBodies(@DefaultValue("10000") int maxLength) {

    public String valid(String body) {
        if (body == null || body.isBlank()) {
            throw CommandRejected.invalid("body must not be blank");
        }
        if (!UnicodeText.isWellFormed(body)) {
            throw CommandRejected.invalid("body must be valid Unicode text: it holds a lone surrogate");
        }
        if (body.codePointCount(0, body.length()) > maxLength) {
            throw CommandRejected.invalid("body must be at most " + maxLength + " characters");
        }
        return body;
    }
}
