package io.chatsystem.command.application;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.chatsystem.api.application.ApplicationCreated;
import io.chatsystem.api.application.ApplicationRenamed;
import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.application.CreateApplicationCommand;
import io.chatsystem.api.application.RenameApplicationCommand;
import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.command.chat.ChatDirectory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
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

    protected Application() {
        // for Axon: instances are rebuilt from events or a snapshot
    }

    @CommandHandler
    public Application(CreateApplicationCommand command) {
        apply(new ApplicationCreated(command.token(), ApplicationNames.valid(command.name())));
    }

    @CommandHandler
    public ApplicationView handle(RenameApplicationCommand command) {
        String newName = ApplicationNames.valid(command.name());
        if (!newName.equals(name)) {
            apply(new ApplicationRenamed(token, newName));
        }
        return new ApplicationView(token, name, chatsCount);
    }

    @CommandHandler
    public int handle(CreateChatCommand command) {
        int number = chatsCount + 1;
        apply(new ChatCreated(token, number));
        return number;
    }

    @Override
    public int chatsCount() {
        return chatsCount;
    }

    @EventSourcingHandler
    void on(ApplicationCreated event) {
        token = event.token();
        name = event.name();
    }

    @EventSourcingHandler
    void on(ApplicationRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(ChatCreated event) {
        chatsCount = event.chatNumber();
    }
}
