package io.chatsystem.api.message;

/** An update of a chat's live stream: a message was sent, or edited; {@code message} is how it now reads. */
public record MessageChange(Kind kind, MessageView message) {

    public enum Kind { SENT, EDITED }
}
