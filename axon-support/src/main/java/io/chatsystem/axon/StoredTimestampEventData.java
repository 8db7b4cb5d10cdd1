package io.chatsystem.axon;

import java.time.Instant;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.serialization.SerializedObject;

/** An event read from the table, its timestamp parsed from the stored text by {@link EventTimestamps}. */
record StoredTimestampEventData<T>(DomainEventData<T> entry, String storedTimestamp) implements DomainEventData<T> {

    @Override
    public Instant getTimestamp() {
        return EventTimestamps.parse(storedTimestamp);
    }

    @Override
    public String getEventIdentifier() {
        return entry.getEventIdentifier();
    }

    @Override
    public SerializedObject<T> getMetaData() {
        return entry.getMetaData();
    }

    @Override
    public SerializedObject<T> getPayload() {
        return entry.getPayload();
    }

    @Override
    public String getType() {
        return entry.getType();
    }

    @Override
    public String getAggregateIdentifier() {
        return entry.getAggregateIdentifier();
    }

    @Override
    public long getSequenceNumber() {
        return entry.getSequenceNumber();
    }
}
