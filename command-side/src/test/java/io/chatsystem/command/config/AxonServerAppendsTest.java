package io.chatsystem.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.List;

import io.axoniq.axonserver.connector.AxonServerException;
import io.axoniq.axonserver.connector.ErrorCategory;
import io.chatsystem.web.StoreCalls;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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

        assertThatThrownBy(() -> appends.appendEvents(group)).isInstanceOf(ConcurrencyException.class)
                .satisfies(race -> assertThat(StoreCalls.isOutage(race)).as("a lost race, not an outage").isFalse());
    }

    /** The form Axon Server's answer to a commit has: the gRPC error, its code in the trailers (AXONIQ-2000). */
    @Test
    void aTakenSequenceNumberAsAxonServerAnswersACommitIsALostRace() {
        Metadata trailers = new Metadata();
        trailers.put(AxonServerAppends.ERROR_CODE, "AXONIQ-2000");
        doThrow(Status.OUT_OF_RANGE.withDescription("Invalid sequence number 7 for aggregate b/2, expected 8")
                .asRuntimeException(trailers)).when(server).publish(anyList());

        assertThatThrownBy(() -> appends.appendEvents(group)).isInstanceOf(ConcurrencyException.class)
                .hasMessageContaining("Invalid sequence number")
                .satisfies(race -> assertThat(StoreCalls.isOutage(race)).as("a lost race, not an outage").isFalse());
    }

    @Test
    void anotherGrpcErrorIsAnOutage() {
        Metadata trailers = new Metadata();
        trailers.put(AxonServerAppends.ERROR_CODE, "AXONIQ-1001");
        StatusRuntimeException unavailable = Status.UNAVAILABLE.asRuntimeException(trailers);
        doThrow(unavailable).when(server).publish(anyList());

        assertThatThrownBy(() -> appends.appendEvents(group)).isSameAs(unavailable)
                .satisfies(failure -> assertThat(StoreCalls.isOutage(failure)).isTrue());
    }

    @Test
    void anyOtherFailureIsTheStoresOwn() {
        AxonServerException unavailable = new AxonServerException(ErrorCategory.CONNECTION_FAILED, "down", "axonserver");
        doThrow(unavailable).when(server).publish(anyList());

        assertThatThrownBy(() -> appends.appendEvents(group)).isSameAs(unavailable)
                .satisfies(failure -> assertThat(StoreCalls.isOutage(failure)).as("answered 503").isTrue());
    }
}
