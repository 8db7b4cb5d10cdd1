package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.chatsystem.query.config.ProjectionEvents;
import io.chatsystem.query.instances.QuerySideInstances;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays that need no hands, however many query-side instances run. A replay is a row in
 * {@code projection_replays}; every instance follows the open ones: it stops the projection, which
 * releases the segments it held; the first instance that can then claim every segment resets the
 * tokens (the projection's reset handler clears its store) and marks the request done, in one
 * transaction; then every instance starts the projection again, and they share its segments as before.
 * An instance that is frozen or dead holds its segments until its claims time out.
 * (Axon resets only the tokens it can claim all of; it has no cross-instance coordination of its own.)
 */
@Service
public class ProjectionReplays {

    /**
     * {@code followInterval}: how often an instance looks for replay requests; {@code startTimeout}: how
     * long a request waits for the reset before answering (the reset still happens later).
     */
    @ConfigurationProperties("chat.replays")
    public record Settings(@DefaultValue("500ms") Duration followInterval, @DefaultValue("30s") Duration startTimeout) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    /** A started processor claims a free segment within a second (its token claim interval), or is idle. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(2);
    private static final int START_ATTEMPTS = 5;

    private final ReplayRequests requests;
    private final ProjectionTokens tokens;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final TransactionTemplate transactions;
    private final QuerySideInstances instances;
    private final Settings settings;
    private final ProjectionEvents events;
    /** Projections this instance stopped for an open request, to start again once it is done. */
    private final Set<String> stoppedHere = ConcurrentHashMap.newKeySet();
    /** One pass at a time: the scheduled one skips its turn while a request's own pass runs. */
    private final ReentrantLock following = new ReentrantLock();

    ProjectionReplays(ReplayRequests requests, ProjectionTokens tokens, EventProcessingConfiguration processing,
                      TokenStore tokenStore, PlatformTransactionManager transactionManager,
                      QuerySideInstances instances, Settings settings, ProjectionEvents events) {
        this.requests = requests;
        this.tokens = tokens;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.transactions = new TransactionTemplate(transactionManager);
        this.instances = instances;
        this.settings = settings;
        this.events = events;
    }

    /**
     * Asks for a replay of each projection named, from the first event, and waits (at most
     * {@code chat.replays.start-timeout}) until they have been reset.
     *
     * @throws ReplayAlreadyRunningException while one of them is replaying or has a replay asked of it
     */
    public void request(List<String> projections) {
        for (String projection : projections) {
            if (tokens.replaying(projection)) {
                throw new ReplayAlreadyRunningException(projection);
            }
        }
        List<Long> ids = transactions.execute(status -> projections.stream().map(requests::open).toList());
        log.info("Replay of {} requested", projections);
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!requests.allReset(ids) && System.nanoTime() < deadline) {
            // this instance does its part at once rather than at its next scheduled look
            followNow();
            sleep(Duration.ofMillis(50));
        }
        // and starts its projections again at once
        followNow();
    }

    /** As {@link #request} for one projection, without waiting: false if it is replaying or one is asked already. */
    boolean ask(String projection) {
        if (tokens.replaying(projection)) {
            return false;
        }
        try {
            requests.open(projection);
        } catch (ReplayAlreadyRunningException e) {
            return false;
        }
        log.info("Replay of {} requested", List.of(projection));
        return true;
    }

    /** Whether this instance holds the projection stopped for a replay (the segment balance leaves it alone). */
    public boolean heldForReplay(String projection) {
        return stoppedHere.contains(projection);
    }

    /**
     * At a fixed rate, each pass on a thread of its own: stopping and starting processors takes
     * seconds, and must not hold up the other scheduled work (the heartbeat above all).
     */
    @Scheduled(fixedRateString = "${chat.replays.follow-interval:500ms}")
    void followScheduled() {
        if (following.tryLock()) {
            try {
                follow();
            } finally {
                following.unlock();
            }
        }
    }

    private void followNow() {
        following.lock();
        try {
            follow();
        } finally {
            following.unlock();
        }
    }

    private void follow() {
        Map<Long, String> open;
        try {
            open = requests.open();
        } catch (RuntimeException e) {
            log.debug("Could not read the replay requests; trying again", e);
            return;
        }
        stopAll(open.values().stream().filter(projection -> !stoppedHere.contains(projection)).distinct()
                .map(this::processor).flatMap(Optional::stream).toList());
        for (Map.Entry<Long, String> request : open.entrySet()) {
            Optional<TrackingEventProcessor> processor = processor(request.getValue());
            if (processor.isPresent()) {
                takePart(request.getKey(), processor.get());
            }
        }
        for (Iterator<String> held = stoppedHere.iterator(); held.hasNext(); ) {
            String projection = held.next();
            if (!open.containsValue(projection)) {
                processor(projection).ifPresent(this::start);
                held.remove();
            }
        }
    }

    private void takePart(long request, TrackingEventProcessor processor) {
        String name = processor.getName();
        if (!stoppedHere.contains(name)) {
            // not stopped above: reset nothing while it may still hold a segment
            return;
        }
        try {
            Boolean reset = transactions.execute(status -> {
                if (!requests.lockOpen(request)) {
                    return false;
                }
                processor.resetTokens();
                // leave the segments to whichever instance claims them first, not to this one alone
                for (int segment : tokenStore.fetchSegments(name)) {
                    tokenStore.releaseClaim(name, segment);
                }
                requests.markReset(request, instances.nodeId());
                return true;
            });
            if (Boolean.TRUE.equals(reset)) {
                log.info("Projection {} reset: it replays from the first event", name);
            }
        } catch (UnableToClaimTokenException e) {
            // another instance still holds a segment (it has not looked yet, or its claim has not timed out)
            log.debug("Projection {}: a segment is still claimed elsewhere; the reset waits", name);
        }
    }

    /**
     * Stops the projections side by side (each stop waits for its processor's threads to end their batch).
     */
    private void stopAll(List<TrackingEventProcessor> processors) {
        List<CompletableFuture<Void>> stops = processors.stream()
                .map(processor -> CompletableFuture.runAsync(() -> stop(processor), Thread::startVirtualThread))
                .toList();
        for (int i = 0; i < stops.size(); i++) {
            try {
                stops.get(i).join();
                stoppedHere.add(processors.get(i).getName());
            } catch (CompletionException e) {
                // its request waits for the next pass, which tries to stop it again
                log.warn("Projection {} could not be stopped for its replay: {}", processors.get(i).getName(),
                        e.getCause().getMessage());
            }
        }
    }

    private void stop(TrackingEventProcessor processor) {
        // a processor still starting would miss the shutdown and strand its segment: let it settle first
        waitFor(() -> !processor.isRunning() || processor.activeProcessorThreads() > 0, SETTLE_TIMEOUT);
        CompletableFuture<Void> stopped = processor.shutdownAsync();
        // one idle at the head sees its shutdown only once its wait for events ends: end it now
        events.wakeReaders();
        stopped.orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        if (!waitFor(() -> processor.activeProcessorThreads() == 0, STOP_TIMEOUT)) {
            throw new IllegalStateException("projection " + processor.getName() + " did not stop");
        }
        log.info("Projection {} stopped for its replay; its segments are released", processor.getName());
    }

    private void start(TrackingEventProcessor processor) {
        String name = processor.getName();
        List<Integer> segments = tokens.of(name).stream().map(ProjectionTokens.SegmentToken::segment).toList();
        if (!start(processor, segments, () -> noFreeSegment(name))) {
            log.warn("Projection {} claimed no segment after its replay; it stays started and claims one when "
                    + "one is free", name);
        }
    }

    /**
     * Starts a projection again after its replay, so that it claims afresh: whether it then holds a
     * segment (or none is free). A segment this instance released to share them out before the replay is
     * no longer held back from it (Axon keeps such a release through a restart, and it may be the only
     * free one). A start that races the previous worker launcher's exit can leave the processor idle:
     * started, with no segment, although one is free; then it is started again. The last start stays.
     */
    static boolean start(TrackingEventProcessor processor, List<Integer> segments, BooleanSupplier noFreeSegment) {
        for (int segment : segments) {
            processor.releaseSegment(segment, 0, TimeUnit.MILLISECONDS);
        }
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            processor.start();
            if (waitFor(() -> processor.activeProcessorThreads() > 0 || noFreeSegment.getAsBoolean(), START_TIMEOUT)) {
                return true;
            }
            if (attempt < START_ATTEMPTS) {
                processor.shutdownAsync().join();
            }
        }
        return false;
    }

    private boolean noFreeSegment(String projection) {
        List<ProjectionTokens.SegmentToken> segments = tokens.of(projection);
        return !segments.isEmpty() && segments.stream().allMatch(segment -> segment.owner() != null);
    }

    private Optional<TrackingEventProcessor> processor(String name) {
        return processing.eventProcessor(name, TrackingEventProcessor.class);
    }

    private static boolean waitFor(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(Duration.ofMillis(20));
        }
        return true;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
