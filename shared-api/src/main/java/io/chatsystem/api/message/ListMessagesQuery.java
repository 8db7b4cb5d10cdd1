package io.chatsystem.api.message;

import io.chatsystem.api.common.PageSpec;

public record ListMessagesQuery(String applicationToken, int chatNumber, PageSpec page) {
}
