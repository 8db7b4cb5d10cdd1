package io.chatsystem.command.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.chatsystem.api.chat.ChatId;
import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.api.message.EditedMessage;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.SendMessageCommand;
import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.command.idempotency.KeyedRequest;
import io.chatsystem.command.idempotency.RecentKeys;
import io.chatsystem.command.message.MessageBodies;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A chat owns the numbering of its messages. It is an aggregate of its own, so messages to
 * different chats never wait on each other or on their application.
 *
 * <p>Its stream starts with its first message: the chat itself is created by its application
 * ({@code ChatCreated} lives in the application's stream, which guards chat numbering). So a
 * chat without messages yet asks the {@link ChatDirectory} whether it exists.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "chatSnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY) // snapshots are serialized from fields
public class Chat {

    @AggregateIdentifier
    private String chatId;
    private int messagesCount;
    private RecentKeys recentKeys = new RecentKeys();

    protected Chat() {
        // for Axon: instances are created on the first message or rebuilt from events or a snapshot
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(SendMessageCommand command, ChatDirectory directory, MessageBodies bodies, Clock clock,
                      @MetaDataValue(IdempotencyKey.KEY) String key) {
        KeyedRequest request = KeyedRequest.of(key, command);
        Optional<RecentKeys.Outcome> earlier = recentKeys.earlier(request);
        if (earlier.isPresent()) {
            return earlier.get().number();
        }
        if (chatId == null && !directory.exists(command.applicationToken(), command.chatNumber())) {
            throw CommandRejected.notFound("application " + command.applicationToken()
                    + " has no chat " + command.chatNumber());
        }
        String body = bodies.valid(command.body());
        int number = messagesCount + 1;
        apply(new MessageSent(command.applicationToken(), command.chatNumber(), number, body, now(clock)),
                request.eventMetaData());
        return number;
    }

    @CommandHandler
    public EditedMessage handle(EditMessageCommand command, MessageBodies bodies, Clock clock,
                                @MetaDataValue(IdempotencyKey.KEY) String key) {
        KeyedRequest request = KeyedRequest.of(key, command);
        Optional<RecentKeys.Outcome> earlier = recentKeys.earlier(request);
        if (earlier.isPresent()) {
            return new EditedMessage(earlier.get().number(), command.body(), earlier.get().at());
        }
        int number = command.messageNumber();
        if (number < 1 || number > messagesCount) {
            throw CommandRejected.notFound("chat " + command.chatNumber() + " has no message " + number);
        }
        String body = bodies.valid(command.body());
        var edited = new MessageEdited(command.applicationToken(), command.chatNumber(), number, body, now(clock));
        apply(edited, request.eventMetaData());
        return new EditedMessage(number, body, edited.editedAt());
    }

    /** Microseconds: the precision every read store keeps, so all of them show the same instant. */
    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @EventSourcingHandler
    void on(MessageSent event, @MetaDataValue(IdempotencyKey.KEY) String key,
            @MetaDataValue(IdempotencyKey.FINGERPRINT) String fingerprint) {
        chatId = ChatId.of(event.applicationToken(), event.chatNumber());
        messagesCount = event.messageNumber();
        recentKeys.remember(key, fingerprint, event.messageNumber(), event.sentAt());
    }

    @EventSourcingHandler
    void on(MessageEdited event, @MetaDataValue(IdempotencyKey.KEY) String key,
            @MetaDataValue(IdempotencyKey.FINGERPRINT) String fingerprint) {
        recentKeys.remember(key, fingerprint, event.messageNumber(), event.editedAt());
    }
}
