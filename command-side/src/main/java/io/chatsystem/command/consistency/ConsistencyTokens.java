package io.chatsystem.command.consistency;

import java.time.Duration;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.web.SharedCall;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
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
 * command's last event, reported by the append ({@link StoredPositions}); when the command stored nothing (a
 * keyed repeat, a rename to the same name), the exact position of its aggregate's last event, which the write
 * it repeats is at or before (an exact position, so gaps that never fill, left by rolled-back appends, do not
 * hold the read up as they would a head of the table). Over Axon Server (whose appends do not tell their
 * position, and whose stream has no gaps) it is the head of the store read after the answer came back: the
 * write is at or below it (concurrent writes share one read of it, {@link SharedCall}).
 */
@Component
public class ConsistencyTokens {

    /** {@code headTimeout}: how long a write's answer waits for the store's head before it goes without a token. */
    @ConfigurationProperties("chat.consistency")
    public record Settings(@DefaultValue("2s") Duration headTimeout) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConsistencyTokens.class);

    /** The event table only: the global index of an aggregate's last event. */
    public record LastEvents(Function<String, Long> ofAggregate) {
    }

    private static final CommandTargetResolver TARGETS = AnnotationCommandTargetResolver.builder().build();

    private final StoredPositions stored;
    private final LastEvents lastEvents;
    private final SharedCall<TrackingToken> head;
    private final Duration headTimeout;

    ConsistencyTokens(StoredPositions stored, ObjectProvider<LastEvents> lastEvents, ObjectProvider<EventStore> eventStore,
                      Settings settings) {
        this.stored = stored;
        this.lastEvents = lastEvents.getIfAvailable();
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
        if (lastEvents != null) {
            try {
                Long last = lastEvents.ofAggregate().apply(TARGETS.resolveTarget(command).getIdentifier());
                return last == null ? null : ConsistencyToken.ofEvent(last);
            } catch (RuntimeException e) {
                log.debug("No consistency token for a write: its aggregate's last event could not be read", e);
                return null;
            }
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
