package io.chatsystem.command.chat;

import io.chatsystem.api.chat.ChatCreated;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * Answers whether a chat exists, from the event store itself (never from a read model, so a
 * message can be sent the moment its chat's creation has been acknowledged).
 *
 * <p>Asked only for a chat that has no message yet; from its first message on, the chat aggregate
 * knows it exists. Reads the application's stream without locking the application aggregate, so
 * a first message does not wait for chat creations; snapshots keep the read short.
 */
@Component
public class ChatDirectory {

    private final EventStore eventStore;

    public ChatDirectory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    public boolean exists(String applicationToken, int chatNumber) {
        if (chatNumber < 1) {
            return false;
        }
        DomainEventStream stream = eventStore.readEvents(applicationToken);
        int chatsCount = 0;
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getPayload() instanceof ChatCreated created) {
                chatsCount = Math.max(chatsCount, created.chatNumber());
            } else if (event.getPayload() instanceof ChatCount snapshot) {
                chatsCount = Math.max(chatsCount, snapshot.chatsCount());
            }
            if (chatsCount >= chatNumber) {
                return true;
            }
        }
        return false;
    }

    /** Implemented by aggregates whose snapshot tells how many chats an application has. */
    public interface ChatCount {
        int chatsCount();
    }
}
