package io.chatsystem.axon;

import java.time.Instant;

import org.axonframework.eventhandling.GenericDomainEventEntry;

/**
 * An event read from the table, its stored timestamp parsed once, by {@link EventTimestamps}, as it is read
 * (Axon's entry keeps the text and parses it at every call, by {@code DateTimeFormatter}).
 */
final class StoredEventEntry<T> extends GenericDomainEventEntry<T> {

    private final Instant timestamp;

    StoredEventEntry(String type, String aggregateIdentifier, long sequenceNumber, String eventIdentifier,
                     String storedTimestamp, String payloadType, String payloadRevision, T payload, T metaData) {
        super(type, aggregateIdentifier, sequenceNumber, eventIdentifier, storedTimestamp, payloadType,
                payloadRevision, payload, metaData);
        this.timestamp = EventTimestamps.parse(storedTimestamp);
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }
}
