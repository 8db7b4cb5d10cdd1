package io.chatsystem.query.config;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.chatsystem.axon.ForwardingEventStorageEngine;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * The event table read less often while nothing is written to it. Axon's embedded event store reads it every
 * {@code chat.events.fetch-delay} (10 ms) when it has nothing new: a hundred reads of two statements a second,
 * most of what an idle system cost. Here, once {@code idleAfter} has passed without an event, each read first
 * waits up to {@code idleDelay}; the first event after a quiet spell therefore reaches the projections (and the
 * live streams) up to {@code idleDelay} later, and those after it as before. A read that waits for a write
 * ({@code Consistency-Token}) calls {@link #wake()} and ends the wait at once, so a client reading its own write
 * does not pay it. (The event table cannot tell its readers that something was appended; Axon Server can, and
 * is not read this way.)
 */
public final class IdleReads {

    private final long idleAfterNanos;
    private final long idleDelayNanos;
    private volatile long lastEventAt = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private long wakes;

    IdleReads(Duration idleAfter, Duration idleDelay) {
        this.idleAfterNanos = idleAfter.toNanos();
        this.idleDelayNanos = idleDelay.toNanos();
    }

    /** {@code engine}, read this way. */
    EventStorageEngine around(EventStorageEngine engine) {
        return new ForwardingEventStorageEngine(engine) {
            @Override
            public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
                if (System.nanoTime() - lastEventAt > idleAfterNanos && !awaitWakeOrIdleDelay()) {
                    return Stream.empty();
                }
                return engine().readEvents(trackingToken, mayBlock).map(IdleReads.this::seen);
            }
        };
    }

    /** Ends the wait of a read held back by idleness, so that it reads now. */
    public void wake() {
        lock.lock();
        try {
            wakes++;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private <T> T seen(T event) {
        lastEventAt = System.nanoTime();
        return event;
    }

    /** False when the waiting thread was interrupted (the store is shutting down): it reads nothing then. */
    private boolean awaitWakeOrIdleDelay() {
        lock.lock();
        try {
            long wakesBefore = wakes;
            long left = idleDelayNanos;
            while (left > 0 && wakes == wakesBefore) {
                left = woken.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
