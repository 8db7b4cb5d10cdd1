package io.chatsystem.query.message;

import java.util.Optional;

import io.chatsystem.api.message.FindMessageQuery;
import io.chatsystem.api.message.ListMessagesQuery;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Projects messages into MySQL and answers queries about them. */
@Component
@ProcessingGroup(MessageProjection.NAME)
class MessageProjection {

    static final String NAME = "messages";

    private final MessageRepository messages;
    private final QueryUpdateEmitter updates;

    MessageProjection(MessageRepository messages, QueryUpdateEmitter updates) {
        this.messages = messages;
        this.updates = updates;
    }

    /**
     * Live streams learn of the message once it is readable: Axon emits updates of a unit of work after
     * it commits. A replay emits nothing: its messages were streamed when they were first sent.
     */
    @EventHandler
    void on(MessageSent event, ReplayStatus replay) {
        messages.insert(event.applicationToken(), event.chatNumber(), event.messageNumber(), event.body(),
                event.sentAt());
        if (!replay.isReplay()) {
            emit(event.applicationToken(), event.chatNumber(), new MessageChange(MessageChange.Kind.SENT,
                    new MessageView(event.messageNumber(), event.body(), event.sentAt(), null)));
        }
    }

    /** An edit streams the whole message as it now reads, read back once the edit has committed. */
    @EventHandler
    void on(MessageEdited event, ReplayStatus replay) {
        messages.edit(event.applicationToken(), event.chatNumber(), event.messageNumber(), event.body(),
                event.editedAt());
        if (!replay.isReplay()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> messages
                    .find(event.applicationToken(), event.chatNumber(), event.messageNumber())
                    .ifPresent(view -> emit(event.applicationToken(), event.chatNumber(),
                            new MessageChange(MessageChange.Kind.EDITED, view))));
        }
    }

    private void emit(String applicationToken, int chatNumber, MessageChange change) {
        updates.emit(MessagesAfterQuery.class, query -> query.isAbout(applicationToken, chatNumber), change);
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
        return new MessageList(messages.after(query.applicationToken(), query.chatNumber(), query.after(), query.limit()));
    }

    @QueryHandler
    MessageList handle(ListMessagesQuery query) {
        return new MessageList(messages.list(query.applicationToken(), query.chatNumber(), query.page()));
    }
}
