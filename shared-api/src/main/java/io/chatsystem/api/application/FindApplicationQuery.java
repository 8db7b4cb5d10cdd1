package io.chatsystem.api.application;

import java.util.Optional;

import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record FindApplicationQuery(String token) implements Query<Optional<ApplicationView>> {

    @Override
    public ResponseType<Optional<ApplicationView>> responseType() {
        return ResponseTypes.optionalInstanceOf(ApplicationView.class);
    }
}
