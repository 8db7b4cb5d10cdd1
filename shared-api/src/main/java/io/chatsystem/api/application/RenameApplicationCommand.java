package io.chatsystem.api.application;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RenameApplicationCommand(@TargetAggregateIdentifier String token, String name) {
}
