package io.chatsystem.api.message;

import io.chatsystem.api.common.PageSpec;

/** Messages of one chat whose body contains every word of {@code text} (parts of words too), best first. */
public record SearchMessagesQuery(String applicationToken, int chatNumber, String text, PageSpec page) {
}
