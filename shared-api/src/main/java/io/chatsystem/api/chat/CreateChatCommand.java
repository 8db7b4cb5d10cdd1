package io.chatsystem.api.chat;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Handled by the application aggregate, which owns chat numbering; answers the new chat's number. */
public record CreateChatCommand(@TargetAggregateIdentifier String applicationToken) {
}
