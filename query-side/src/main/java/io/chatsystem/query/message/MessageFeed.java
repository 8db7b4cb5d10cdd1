package io.chatsystem.query.message;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.chatsystem.api.message.MessageChange;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.api.message.MessagesAfterQuery;
import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.query.consistency.ProjectionPositions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Tells this instance's live streams of each new or edited message once it is readable, whichever
 * query-side instance's messages projection wrote it. Every instance runs its own copy of this
 * processor (token in memory, from the head of the stream at start-up; see the query side's
 * AxonConfig), so every instance sees every change: with several query sides a chat's events are
 * projected by the instance holding its segment. (Over Axon Server a subscription query is registered
 * with every instance, so each instance's copy of a change reaches it: {@link ChatSubscriptions} passes
 * a change on once.) A change waits here until every segment of the messages
 * projection has committed past its event (the token store says so), then goes to the subscriptions.
 */
@Component
@ProcessingGroup(MessageFeed.NAME)
public class MessageFeed {

    public static final String NAME = "message-feed";

    /**
     * {@code poll}: how often the token store is read while changes wait (a commit on this instance
     * wakes the feed at once); {@code capacity}: changes held at most (past it the oldest are dropped:
     * the streams read what they missed from the table when the next change shows them a gap).
     */
    @ConfigurationProperties("chat.streams.feed")
    public record Settings(@DefaultValue("10ms") Duration poll, @DefaultValue("100000") int capacity) {
    }

    private record Waiting(ConsistencyToken position, String token, int chat, int number, MessageChange sent) {
    }

    private static final Logger log = LoggerFactory.getLogger(MessageFeed.class);

    private final QueryUpdateEmitter updates;
    private final ProjectionPositions positions;
    private final MessageRepository messages;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private volatile boolean running;
    private Thread releaser;
    private boolean droppedSinceLog;

    MessageFeed(QueryUpdateEmitter updates, ProjectionPositions positions, MessageRepository messages,
                Settings settings) {
        this.updates = updates;
        this.positions = positions;
        this.messages = messages;
        this.settings = settings;
    }

    @EventHandler
    void on(MessageSent event, TrackingToken token) {
        hold(new Waiting(position(token), event.applicationToken(), event.chatNumber(), event.messageNumber(),
                new MessageChange(MessageChange.Kind.SENT,
                        new MessageView(event.messageNumber(), event.body(), event.sentAt(), null))));
    }

    /** An edit streams the whole message as it then reads, so it is read from the table when released. */
    @EventHandler
    void on(MessageEdited event, TrackingToken token) {
        hold(new Waiting(position(token), event.applicationToken(), event.chatNumber(), event.messageNumber(), null));
    }

    /** The messages projection on this instance committed: look now rather than at the next poll. */
    void committed() {
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void hold(Waiting change) {
        lock.lock();
        try {
            if (waiting.size() >= settings.capacity()) {
                waiting.removeFirst();
                droppedSinceLog = true;
            }
            waiting.addLast(change);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @PostConstruct
    void start() {
        running = true;
        releaser = Thread.ofVirtual().name("message-feed").start(this::releaseWhileRunning);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        releaser.interrupt();
        releaser.join(Duration.ofSeconds(5));
    }

    private void releaseWhileRunning() {
        while (running) {
            try {
                awaitChange();
                release();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the token store cannot be read: changes keep waiting (bounded), streams catch up later
                log.debug("Could not release stream changes; trying again", e);
                sleep();
            }
        }
    }

    private void awaitChange() throws InterruptedException {
        lock.lock();
        try {
            if (droppedSinceLog) {
                log.warn("Live streams fell {} changes behind the projection; the oldest were dropped "
                        + "(streams read them from the table)", settings.capacity());
                droppedSinceLog = false;
            }
            if (waiting.isEmpty()) {
                changed.await();
            } else {
                changed.await(settings.poll().toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Emits, in order, every waiting change whose event every segment of the messages projection has
     * processed: its token covers the event's position, so an event still missing behind later ones (a gap)
     * holds back its change and those after it.
     */
    private void release() {
        List<TrackingToken> segments = positions.heldHere(MessageReadModel.NAME);
        if (segments == null) {
            segments = positions.inTokenStore(MessageReadModel.NAME);
        }
        List<Waiting> ready = new ArrayList<>();
        lock.lock();
        try {
            while (!waiting.isEmpty() && ProjectionPositions.processed(waiting.peekFirst().position(), segments)) {
                ready.add(waiting.removeFirst());
            }
        } finally {
            lock.unlock();
        }
        for (Waiting change : ready) {
            MessageChange update = change.sent() != null ? change.sent()
                    : messages.find(change.token(), change.chat(), change.number())
                    .map(view -> new MessageChange(MessageChange.Kind.EDITED, view)).orElse(null);
            if (update != null) {
                updates.emit(MessagesAfterQuery.class, query -> query.isAbout(change.token(), change.chat()), update);
            }
        }
    }

    private static ConsistencyToken position(TrackingToken token) {
        OptionalLong position = token == null ? OptionalLong.empty() : token.position();
        return ConsistencyToken.ofEvent(position.orElse(Long.MAX_VALUE));
    }

    private void sleep() {
        try {
            Thread.sleep(settings.poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
