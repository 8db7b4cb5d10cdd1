package io.chatsystem.query.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.query.consistency.ProjectionPositions;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The feed releases a change to the live streams only once the messages projection has processed its
 * event, compared as tracking tokens: an event that is still a gap in the projection's token (committed
 * after later ones were read) is not readable yet, however far the token's index has moved.
 */
class MessageFeedTest {

    private final QueryUpdateEmitter updates = mock(QueryUpdateEmitter.class);
    private final ProjectionPositions positions = mock(ProjectionPositions.class);
    private final MessageFeed feed = new MessageFeed(updates, positions, null,
            new MessageFeed.Settings(Duration.ofMillis(5), 1000));

    @AfterEach
    void stop() throws InterruptedException {
        feed.stop();
    }

    @Test
    void aChangeBehindAGapWaitsAndHoldsBackThoseAfterIt() throws Exception {
        when(positions.heldHere("messages")).thenReturn(List.of(GapAwareTrackingToken.newInstance(12, Set.of(10L))));
        feed.start();
        for (int event = 10; event <= 12; event++) {
            feed.on(new MessageSent("app", 1, event, "body " + event, Instant.now()),
                    GapAwareTrackingToken.newInstance(event, Set.of()));
        }
        // until the feed has looked where the projection stands several times, or released something
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (mockingDetails(positions).getInvocations().size() < 5 && mockingDetails(updates).getInvocations().isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        verify(updates, never()).emit(eq(MessagesAfterQuery.class), any(), any(MessageChange.class));

        // event 10 committed and read: the gap is gone
        when(positions.heldHere("messages")).thenReturn(List.of(GapAwareTrackingToken.newInstance(12, Set.of())));
        feed.committed();

        ArgumentCaptor<MessageChange> released = ArgumentCaptor.forClass(MessageChange.class);
        verify(updates, timeout(5_000).times(3)).emit(eq(MessagesAfterQuery.class), any(), released.capture());
        assertThat(released.getAllValues()).extracting(change -> change.message().number()).containsExactly(10, 11, 12);
    }

    @Test
    void changesThatEverySegmentProcessedAreReleasedInOrder() {
        when(positions.heldHere("messages")).thenReturn(null);
        when(positions.inTokenStore("messages")).thenReturn(List.of(
                GapAwareTrackingToken.newInstance(11, Set.of()), GapAwareTrackingToken.newInstance(13, Set.of())));
        feed.start();
        for (int event = 10; event <= 12; event++) {
            feed.on(new MessageSent("app", 1, event, "body " + event, Instant.now()),
                    GapAwareTrackingToken.newInstance(event, Set.of()));
        }

        ArgumentCaptor<MessageChange> released = ArgumentCaptor.forClass(MessageChange.class);
        verify(updates, timeout(5_000).times(2)).emit(eq(MessagesAfterQuery.class), any(), released.capture());
        assertThat(released.getAllValues()).extracting(change -> change.message().number()).containsExactly(10, 11);
    }
}
