package io.chatsystem.command;

/**
 * Text that every store can hold exactly. A Java string (and JSON's {@code \\uXXXX} escapes) can
 * carry a lone UTF-16 surrogate, which is no character at all: the event store would keep it, while
 * MySQL's utf8mb4 and Elasticsearch would turn it into {@code ?} or U+FFFD, and the read models would
 * no longer match the events. Other characters, control characters and NUL included, are kept as sent.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    public static boolean isWellFormed(String text) {
        return text.codePoints().noneMatch(codePoint -> Character.getType(codePoint) == Character.SURROGATE);
    }
}
