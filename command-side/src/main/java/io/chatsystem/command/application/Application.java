package io.chatsystem.command.application;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationRenamed;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.chat.ChatDirectory;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.command.idempotency.KeyedRequest;
import io.chatsystem.command.idempotency.RecentKeys;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An application owns the numbering of its chats: the next chat is always {@code chatsCount + 1},
 * and the event store's sequence check on this aggregate's stream rejects a second writer.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "applicationSnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY) // snapshots are serialized from fields
public class Application implements ChatDirectory.ChatCount {

    @AggregateIdentifier
    private String token;
    private String name;
    private int chatsCount;
    /** Of the keyed request that created it: its token is derived from that key, so a repeat lands here. */
    private String creationFingerprint;
    private RecentKeys recentKeys = new RecentKeys();

    protected Application() {
        // for Axon: instances are rebuilt from events or a snapshot
    }

    /**
     * Creates the application; with an Idempotency-Key the token is derived from the key, so a repeat
     * finds the application it created and answers its token again.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(CreateApplicationCommand command, @MetaDataValue(IdempotencyKey.KEY) String key) {
        KeyedRequest request = KeyedRequest.of(key, command);
        if (token != null) {
            if (key != null && request.fingerprint().equals(creationFingerprint)) {
                return token;
            }
            throw new CommandRejected(RejectionReason.KEY_REUSED,
                    "Idempotency-Key " + key + " was already used for a different request");
        }
        apply(new ApplicationCreated(command.token(), ApplicationNames.valid(command.name())),
                request.eventMetaData());
        return command.token();
    }

    @CommandHandler
    public ApplicationView handle(RenameApplicationCommand command, @MetaDataValue(IdempotencyKey.KEY) String key) {
        KeyedRequest request = KeyedRequest.of(key, command);
        Optional<RecentKeys.Outcome> earlier = recentKeys.earlier(request);
        if (earlier.isPresent()) {
            return new ApplicationView(token, ApplicationNames.valid(command.name()), earlier.get().number());
        }
        String newName = ApplicationNames.valid(command.name());
        // a rename to the same name changes nothing, but a keyed one is still remembered
        if (!newName.equals(name) || request.key() != null) {
            apply(new ApplicationRenamed(token, newName), request.eventMetaData());
        }
        return new ApplicationView(token, name, chatsCount);
    }

    @CommandHandler
    public int handle(CreateChatCommand command, @MetaDataValue(IdempotencyKey.KEY) String key) {
        KeyedRequest request = KeyedRequest.of(key, command);
        Optional<RecentKeys.Outcome> earlier = recentKeys.earlier(request);
        if (earlier.isPresent()) {
            return earlier.get().number();
        }
        int number = chatsCount + 1;
        apply(new ChatCreated(token, number), request.eventMetaData());
        return number;
    }

    @Override
    public int chatsCount() {
        return chatsCount;
    }

    @EventSourcingHandler
    void on(ApplicationCreated event, @MetaDataValue(IdempotencyKey.FINGERPRINT) String fingerprint) {
        token = event.token();
        name = event.name();
        creationFingerprint = fingerprint;
    }

    @EventSourcingHandler
    void on(ApplicationRenamed event, @MetaDataValue(IdempotencyKey.KEY) String key,
            @MetaDataValue(IdempotencyKey.FINGERPRINT) String fingerprint) {
        name = event.name();
        recentKeys.remember(key, fingerprint, chatsCount, null);
    }

    @EventSourcingHandler
    void on(ChatCreated event, @MetaDataValue(IdempotencyKey.KEY) String key,
            @MetaDataValue(IdempotencyKey.FINGERPRINT) String fingerprint) {
        chatsCount = event.chatNumber();
        recentKeys.remember(key, fingerprint, event.chatNumber(), null);
    }
}
