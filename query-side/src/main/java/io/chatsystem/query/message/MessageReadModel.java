package io.chatsystem.query.message;

import java.util.Optional;

import io.chatsystem.api.message.FindMessageQuery;
import io.chatsystem.api.message.ListMessagesQuery;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.query.replay.ReadModel;
import io.chatsystem.query.replay.VersionedTables;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** The messages read model: its versions ({@link MessageProjection} writes each) and the queries it answers. */
@Component
class MessageReadModel {

    static final String NAME = "messages";

    private final MessageRepository messages;

    MessageReadModel(MessageRepository messages) {
        this.messages = messages;
    }

    @Bean
    static ReadModel messagesReadModel(VersionedTables tables, MessageRepository messages,
                                       ObjectProvider<MessageFeed> feed) {
        // the feed follows the live version's positions: it is there by the time a version's processor is built
        return tables.readModel(NAME, version -> new MessageProjection(messages.writes(version), feed.getObject()));
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
