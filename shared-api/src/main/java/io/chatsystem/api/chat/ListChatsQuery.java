package io.chatsystem.api.chat;

import io.chatsystem.api.common.PageSpec;

public record ListChatsQuery(String applicationToken, PageSpec page) {
}
