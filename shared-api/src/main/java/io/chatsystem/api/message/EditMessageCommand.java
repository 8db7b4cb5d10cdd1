package io.chatsystem.api.message;

import io.chatsystem.api.chat.ChatId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record EditMessageCommand(String applicationToken, int chatNumber, int messageNumber, String body) {

    @TargetAggregateIdentifier
    public String chatId() {
        return ChatId.of(applicationToken, chatNumber);
    }
}
