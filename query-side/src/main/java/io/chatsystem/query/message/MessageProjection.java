package io.chatsystem.query.message;

import java.util.Optional;

import io.chatsystem.api.message.FindMessageQuery;
import io.chatsystem.api.message.ListMessagesQuery;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Projects messages into MySQL and answers queries about them. */
@Component
@ProcessingGroup(MessageProjection.NAME)
class MessageProjection {

    static final String NAME = "messages";

    private final MessageRepository messages;
    private final MessageFeed feed;

    MessageProjection(MessageRepository messages, MessageFeed feed) {
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

    @ResetHandler
    void reset() {
        messages.clear();
    }

    @QueryHandler
    Optional<MessageView> handle(FindMessageQuery query) {
        return messages.find(query.applicationToken(), query.chatNumber(), query.messageNumber());
    }

    @QueryHandler
    MessageList handle(MessagesAfterQuery query) {
        return MessageList.fitting(messages.after(query.applicationToken(), query.chatNumber(), query.after(), query.limit()));
    }

    @QueryHandler
    MessageList handle(ListMessagesQuery query) {
        return MessageList.fitting(messages.list(query.applicationToken(), query.chatNumber(), query.page()));
    }
}
