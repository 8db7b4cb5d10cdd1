package io.chatsystem.query.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.chatsystem.api.chat.ChatCreated;
import io.chatsystem.api.chat.ChatId;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.query.NotFoundException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * The history of an application or a chat, read from the event store itself: every stored event of
 * its stream in order. A chat's stream holds its messages; its creation is in its application's.
 */
@Service
class AuditLog {

    /** One stored event. {@code sequence} is its position in its aggregate's stream, from 0. */
    record AuditEvent(String type, long sequence, Instant timestamp, Object payload) {
    }

    private final EventStore eventStore;

    AuditLog(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    List<AuditEvent> application(String token, PageSpec page) {
        List<AuditEvent> events = read(token, page);
        if (events.isEmpty() && !exists(token)) {
            throw new NotFoundException("no application with token " + token);
        }
        return events;
    }

    List<AuditEvent> chat(String token, int chat, PageSpec page) {
        List<AuditEvent> events = read(ChatId.of(token, chat), page);
        if (events.isEmpty() && !chatExists(token, chat)) {
            throw new NotFoundException("application " + token + " has no chat " + chat);
        }
        return events;
    }

    private List<AuditEvent> read(String aggregateId, PageSpec page) {
        List<AuditEvent> events = new ArrayList<>(page.size());
        // from a sequence number on: the plain stream, never a snapshot
        DomainEventStream stream = eventStore.readEvents(aggregateId, page.offset());
        while (stream.hasNext() && events.size() < page.size()) {
            DomainEventMessage<?> event = stream.next();
            events.add(new AuditEvent(event.getPayloadType().getSimpleName(), event.getSequenceNumber(),
                    event.getTimestamp(), event.getPayload()));
        }
        return events;
    }

    private boolean exists(String token) {
        return eventStore.readEvents(token, 0).hasNext();
    }

    private boolean chatExists(String token, int chat) {
        DomainEventStream stream = eventStore.readEvents(token, 0);
        while (stream.hasNext()) {
            if (stream.next().getPayload() instanceof ChatCreated created && created.chatNumber() == chat) {
                return true;
            }
        }
        return false;
    }
}
