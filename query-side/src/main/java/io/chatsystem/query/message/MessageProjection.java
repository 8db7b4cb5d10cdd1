package io.chatsystem.query.message;

import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/** Projects messages into one version of the {@code messages} table ({@link MessageReadModel}). */
class MessageProjection {

    private final MessageRepository.Writes messages;
    private final MessageFeed feed;

    MessageProjection(MessageRepository.Writes messages, MessageFeed feed) {
        this.messages = messages;
        this.feed = feed;
    }

    @EventHandler
    void on(MessageSent event) {
        messages.insert(event.applicationToken(), event.chatNumber(), event.messageNumber(), event.body(),
                event.sentAt());
        wakeFeedAfterCommit();
    }

    @EventHandler
    void on(MessageEdited event) {
        messages.edit(event.applicationToken(), event.chatNumber(), event.messageNumber(), event.body(),
                event.editedAt());
        wakeFeedAfterCommit();
    }

    /**
     * Live streams learn of a change from the {@link MessageFeed} once it is readable; when this
     * instance wrote it, the feed need not wait for its next look at the token store.
     */
    private void wakeFeedAfterCommit() {
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.afterCommit(committed -> feed.committed()));
    }
}
