package io.chatsystem.command.application;

import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.UnicodeText;

/** The rule for application names: 1 to 255 characters once surrounding white space is trimmed. */
final class ApplicationNames {

    static final int MAX_LENGTH = 255;

    private ApplicationNames() {
    }

    static String valid(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw CommandRejected.invalid("name must not be blank");
        }
        if (!UnicodeText.isWellFormed(trimmed)) {
            throw CommandRejected.invalid("name must be valid Unicode text: it holds a lone surrogate");
        }
        if (trimmed.codePointCount(0, trimmed.length()) > MAX_LENGTH) {
            throw CommandRejected.invalid("name must be at most " + MAX_LENGTH + " characters");
        }
        return trimmed;
    }
}
