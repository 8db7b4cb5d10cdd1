package io.chatsystem.query.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * The projections' source: the event store's streams, with a wait for events that {@link #wakeReaders()}
 * cuts short. A tracking processor looks at whether it was shut down only between batches; idle at the
 * head, that is when its wait for events ends (a second, Axon's default). A replay stops its projections
 * and then wakes their readers, so the stop takes a moment instead of up to that second. (A shorter wait
 * would do the same at the cost of an UPDATE of the segment's claim each time one ends with no events.)
 */
public final class ProjectionEvents implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** The longest a reader waits for events at a time before it looks whether it was woken. */
    static final Duration WAKE_CHECK = Duration.ofMillis(100);

    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    /** Raised by each wake; a reader waiting since before the raise stops waiting. */
    private final AtomicLong wakes = new AtomicLong();

    public ProjectionEvents(StreamableMessageSource<TrackedEventMessage<?>> events) {
        this.events = events;
    }

    /** Ends every reader's current wait for events at once, as though none had come. */
    public void wakeReaders() {
        wakes.incrementAndGet();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new WakeableStream(events.openStream(trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return events.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return events.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return events.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return events.createTokenSince(duration);
    }

    private final class WakeableStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;

        WakeableStream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long woken = wakes.get();
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (stream.hasNextAvailable((int) Math.max(0, Math.min(left, WAKE_CHECK.toMillis())),
                        TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (left <= WAKE_CHECK.toMillis() || wakes.get() != woken) {
                    return false;
                }
            }
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
