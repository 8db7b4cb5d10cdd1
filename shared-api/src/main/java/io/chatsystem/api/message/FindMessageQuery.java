package io.chatsystem.api.message;

import java.util.Optional;

import io.chatsystem.api.common.Query;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.responsetypes.ResponseTypes;

public record FindMessageQuery(String applicationToken, int chatNumber, int messageNumber)
        implements Query<Optional<MessageView>> {

    @Override
    public ResponseType<Optional<MessageView>> responseType() {
        return ResponseTypes.optionalInstanceOf(MessageView.class);
    }
}
