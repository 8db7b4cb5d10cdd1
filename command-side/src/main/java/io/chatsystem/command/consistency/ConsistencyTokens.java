package io.chatsystem.command.consistency;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.web.SharedCall;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The {@link ConsistencyToken} a write answers with. On the event table it is the exact position of the
 * command's last event, reported by the append ({@link StoredPositions}). Over Axon Server (whose appends
 * do not tell their position), or when the command stored nothing (a keyed repeat, a rename to the same
 * name), it is the head of the store read after the answer came back: the write is at or below it
 * (concurrent writes share one read of it, {@link SharedCall}).
 */
@Component
public class ConsistencyTokens {

    /** {@code headTimeout}: how long a write's answer waits for the store's head before it goes without a token. */
    @ConfigurationProperties("chat.consistency")
    public record Settings(@DefaultValue("2s") Duration headTimeout) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConsistencyTokens.class);

    private final StoredPositions stored;
    private final SharedCall<TrackingToken> head;
    private final Duration headTimeout;

    ConsistencyTokens(StoredPositions stored, ObjectProvider<EventStore> eventStore, Settings settings) {
        this.stored = stored;
        this.head = new SharedCall<>("store-head", () -> eventStore.getObject().createHeadToken());
        this.headTimeout = settings.headTimeout();
    }

    /** Before {@code command} is sent: keep where its events are stored. */
    public void await(CommandMessage<?> command) {
        stored.await(command.getIdentifier());
    }

    /** When {@code command} was sent without success: forget it. */
    public void forget(CommandMessage<?> command) {
        stored.take(command.getIdentifier());
    }

    /**
     * After {@code command} was answered: the token of its write, or null when the store's head could not
     * be read in time (the write stands; the client reads without a token).
     */
    public ConsistencyToken of(CommandMessage<?> command) {
        Long position = stored.take(command.getIdentifier());
        if (position != null) {
            return ConsistencyToken.ofEvent(position);
        }
        try {
            return ConsistencyToken.upTo(head.afterNow().get(headTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            log.debug("No consistency token for a write: the store's head could not be read", e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
