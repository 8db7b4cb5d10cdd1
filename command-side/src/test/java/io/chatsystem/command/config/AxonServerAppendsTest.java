package io.chatsystem.command.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.List;

import io.axoniq.axonserver.connector.AxonServerException;
import io.axoniq.axonserver.connector.ErrorCategory;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

class AxonServerAppendsTest {

    private final AxonServerEventStore server = mock(AxonServerEventStore.class);
    private final AxonServerAppends appends = new AxonServerAppends(server);
    private final List<GenericDomainEventMessage<String>> group = List.of(
            new GenericDomainEventMessage<>("Chat", "a/1", 3, "first"),
            new GenericDomainEventMessage<>("Chat", "b/2", 7, "second"));

    /** Outside a unit of work Axon's store appends what it is given in one transaction and commits it. */
    @Test
    void aGroupIsPublishedAsOne() {
        appends.appendEvents(group);

        verify(server).publish(group);
    }

    /** A sequence number taken by another writer: a lost race, which the group stores append by append. */
    @Test
    void aTakenSequenceNumberIsALostRace() {
        doThrow(new AxonServerException(ErrorCategory.INVALID_EVENT_SEQUENCE, "sequence taken", "axonserver"))
                .when(server).publish(anyList());

        assertThatThrownBy(() -> appends.appendEvents(group)).isInstanceOf(ConcurrencyException.class);
    }

    @Test
    void anyOtherFailureIsTheStoresOwn() {
        AxonServerException unavailable = new AxonServerException(ErrorCategory.CONNECTION_FAILED, "down", "axonserver");
        doThrow(unavailable).when(server).publish(anyList());

        assertThatThrownBy(() -> appends.appendEvents(group)).isSameAs(unavailable);
    }
}
