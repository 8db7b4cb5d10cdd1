package io.chatsystem.api.message;

import java.util.List;

import io.chatsystem.api.chat.ChatId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Messages for one chat that are stored together: one append and one commit for all of them. Each is
 * numbered, refused or recognised as a repeat on its own ({@link SentMessages}), in list order.
 */
public record SendMessagesCommand(String applicationToken, int chatNumber, List<MessageToSend> messages) {

    @TargetAggregateIdentifier
    public String chatId() {
        return ChatId.of(applicationToken, chatNumber);
    }
}
