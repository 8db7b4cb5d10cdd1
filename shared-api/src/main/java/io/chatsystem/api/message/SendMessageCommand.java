package io.chatsystem.api.message;

import io.chatsystem.api.chat.ChatId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Handled by the chat aggregate, which owns message numbering; answers the new message's number. */
public record SendMessageCommand(String applicationToken, int chatNumber, String body) {

    @TargetAggregateIdentifier
    public String chatId() {
        return ChatId.of(applicationToken, chatNumber);
    }
}
