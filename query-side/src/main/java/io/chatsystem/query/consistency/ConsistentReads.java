package io.chatsystem.query.consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.chatsystem.axon.ConsistencyToken;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.chatsystem.query.config.IdleReads;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Reads that wait for a write ({@code Consistency-Token}): each waits, holding no thread, until every
 * projection it reads has processed the write, on whichever query-side instance holds its segments, or
 * until the timeout. One checker serves them all: a batch committed by a projection on this instance
 * wakes it at once; while reads wait on segments that another instance processes it also reads the token
 * store, once every {@code consistency-poll} for all of them. With nothing waiting it sleeps.
 */
@Component
public class ConsistentReads {

    /**
     * {@code consistencyTimeout}: the longest a read waits for a write before it answers 503;
     * {@code consistencyPoll}: how often waiting reads are checked again without a commit here to wake them.
     */
    @ConfigurationProperties("chat.reads")
    public record Settings(@DefaultValue("5s") Duration consistencyTimeout,
                           @DefaultValue("10ms") Duration consistencyPoll) {
    }

    private record Waiting(ConsistencyToken write, Set<String> projections, long deadline,
                           CompletableFuture<Boolean> processed) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConsistentReads.class);

    private final ProjectionPositions positions;
    private final Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition readArrived = lock.newCondition();
    private final List<Waiting> waiting = new ArrayList<>();
    private volatile boolean running;
    private Thread checker;
    /** The event table's reads, held back while nothing is written: a waiting read has them read now. */
    private final IdleReads idleReads;

    ConsistentReads(ProjectionPositions positions, Settings settings, ObjectProvider<IdleReads> idleReads) {
        this.positions = positions;
        this.settings = settings;
        this.idleReads = idleReads.getIfAvailable();
    }

    public Duration timeout() {
        return settings.consistencyTimeout();
    }

    /** Whether the projections have processed the write as far as this instance knows by itself (false: ask {@link #await}). */
    public boolean processedHere(ConsistencyToken write, Set<String> projections) {
        for (String projection : projections) {
            if (!ProjectionPositions.processed(write, positions.heldHere(projection))) {
                return false;
            }
        }
        return true;
    }

    /** True once every projection has processed the write; false when the timeout passed first. */
    public CompletableFuture<Boolean> await(ConsistencyToken write, Set<String> projections) {
        Waiting read = new Waiting(write, projections, System.nanoTime() + settings.consistencyTimeout().toNanos(),
                new CompletableFuture<>());
        lock.lock();
        try {
            waiting.add(read);
            changed.signal();
            readArrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (idleReads != null) {
            idleReads.wake();
        }
        return read.processed();
    }

    /**
     * A projection's pause between batches ({@code chat.projections.linger}), cut short while a read waits:
     * such a read would otherwise wait for the pause too.
     */
    public void pause(Duration pause) {
        lock.lock();
        try {
            long left = pause.toNanos();
            while (left > 0 && waiting.isEmpty()) {
                left = readArrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // the processor is shutting down: let it
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** A projection on this instance committed a batch: look now rather than at the next poll. */
    public void committed() {
        if (lock.tryLock()) {
            try {
                changed.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    @PostConstruct
    void start() {
        running = true;
        checker = Thread.ofVirtual().name("consistent-reads").start(this::checkWhileRunning);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        checker.interrupt();
        checker.join(Duration.ofSeconds(5));
    }

    private void checkWhileRunning() {
        while (running) {
            List<Waiting> reads;
            lock.lock();
            try {
                if (waiting.isEmpty()) {
                    changed.await();
                } else {
                    changed.await(settings.consistencyPoll().toNanos(), TimeUnit.NANOSECONDS);
                }
                reads = List.copyOf(waiting);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            check(reads);
        }
    }

    private void check(List<Waiting> reads) {
        Map<String, List<TrackingToken>> known = new HashMap<>();
        Map<String, List<TrackingToken>> stored = null;
        Set<Waiting> done = Collections.newSetFromMap(new IdentityHashMap<>());
        long now = System.nanoTime();
        for (Waiting read : reads) {
            boolean processed = true;
            try {
                for (String projection : read.projections()) {
                    List<TrackingToken> segments = known.computeIfAbsent(projection, positions::heldHere);
                    if (segments == null) {
                        stored = stored != null ? stored : positions.inTokenStore();
                        segments = stored.get(projection);
                        known.put(projection, segments);
                    }
                    if (!ProjectionPositions.processed(read.write(), segments)) {
                        processed = false;
                        break;
                    }
                }
            } catch (RuntimeException e) {
                // the token store cannot be read: the read waits on, up to its deadline
                log.debug("Could not read the projections' positions; trying again", e);
                processed = false;
            }
            if (processed || now - read.deadline() > 0) {
                done.add(read);
                read.processed().complete(processed);
            }
        }
        if (!done.isEmpty()) {
            lock.lock();
            try {
                waiting.removeIf(done::contains);
            } finally {
                lock.unlock();
            }
        }
    }
}
