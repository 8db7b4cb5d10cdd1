package io.chatsystem.api.application;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateApplicationCommand(@TargetAggregateIdentifier String token, String name) {
}
