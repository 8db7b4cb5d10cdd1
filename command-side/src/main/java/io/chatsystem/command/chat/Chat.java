package io.chatsystem.command.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.chatsystem.api.chat.ChatId;
import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.api.message.EditedMessage;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageToSend;
import io.chatsystem.api.message.SendMessageCommand;
import io.chatsystem.api.message.SendMessagesCommand;
import io.chatsystem.api.message.SentMessages;
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
        var batch = new SendMessagesCommand(command.applicationToken(), command.chatNumber(),
                List.of(new MessageToSend(command.body(), key)));
        SentMessages.Outcome outcome = handle(batch, directory, bodies, clock).outcomes().getFirst();
        if (outcome.refusal() != null) {
            throw new CommandRejected(outcome.refusal(), outcome.detail());
        }
        return outcome.number();
    }

    /**
     * Numbers each message in turn. A refused message (invalid body, reused key) does not stop the
     * others; a batch of which nothing could be sent to a chat without messages is refused whole, so
     * no empty chat stream is created.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public SentMessages handle(SendMessagesCommand command, ChatDirectory directory, MessageBodies bodies,
                               Clock clock) {
        if (chatId == null && !directory.exists(command.applicationToken(), command.chatNumber())) {
            throw CommandRejected.notFound("application " + command.applicationToken()
                    + " has no chat " + command.chatNumber());
        }
        Instant sentAt = now(clock);
        List<SentMessages.Outcome> outcomes = new ArrayList<>(command.messages().size());
        for (MessageToSend message : command.messages()) {
            outcomes.add(send(command, message, bodies, sentAt));
        }
        if (chatId == null) {
            SentMessages.Outcome first = outcomes.getFirst();
            throw new CommandRejected(first.refusal(), first.detail());
        }
        return new SentMessages(outcomes);
    }

    private SentMessages.Outcome send(SendMessagesCommand command, MessageToSend message, MessageBodies bodies,
                                      Instant sentAt) {
        // the fingerprint of the one request that sent this message, the same however it was batched
        KeyedRequest request = KeyedRequest.of(message.idempotencyKey(),
                new SendMessageCommand(command.applicationToken(), command.chatNumber(), message.body()));
        try {
            Optional<RecentKeys.Outcome> earlier = recentKeys.earlier(request);
            if (earlier.isPresent()) {
                return SentMessages.Outcome.sent(earlier.get().number());
            }
            String body = bodies.valid(message.body());
            int number = messagesCount + 1;
            apply(new MessageSent(command.applicationToken(), command.chatNumber(), number, body, sentAt),
                    request.eventMetaData());
            return SentMessages.Outcome.sent(number);
        } catch (CommandRejected refused) {
            return SentMessages.Outcome.refused(refused.reason(), refused.getMessage());
        }
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
