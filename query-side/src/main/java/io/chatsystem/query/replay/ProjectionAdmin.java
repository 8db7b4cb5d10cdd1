package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The projections (one tracking processor each): their state, and replays. A replay resets the
 * processor's token, so its reset handler clears its store, and the processor rebuilds the store
 * from the first event while the API keeps answering from what is there.
 */
@Service
public class ProjectionAdmin {

    /** What an operator sees of a projection. Positions are global event-stream indexes. */
    public record ProjectionStatus(String name, boolean running, boolean error, boolean replaying,
                                   Long position, Long head, Long lag, Double replayProgressPercent) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdmin.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 5;

    private final EventProcessingConfiguration processing;

    ProjectionAdmin(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    public List<ProjectionStatus> statuses() {
        List<ProjectionStatus> statuses = new ArrayList<>();
        processing.eventProcessors().values().stream()
                .filter(TrackingEventProcessor.class::isInstance)
                .map(TrackingEventProcessor.class::cast)
                .sorted(Comparator.comparing(TrackingEventProcessor::getName))
                .forEach(processor -> statuses.add(status(processor)));
        return statuses;
    }

    /** The projections' names, without asking the event store anything. */
    public List<String> names() {
        return processing.eventProcessors().values().stream()
                .filter(TrackingEventProcessor.class::isInstance)
                .map(processor -> processor.getName())
                .sorted()
                .toList();
    }

    public boolean exists(String name) {
        return processing.eventProcessor(name, TrackingEventProcessor.class).isPresent();
    }

    /** Replays one projection from the first event. */
    public synchronized void replay(String name) {
        TrackingEventProcessor processor = processing.eventProcessor(name, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("no projection " + name));
        log.info("Replaying projection {} from the first event", name);
        // a processor still starting up would miss the shutdown and strand its segment: let it settle
        awaitUntil(() -> !processor.isRunning() || working(processor), name + " to finish starting");
        processor.shutdownAsync().join();
        awaitUntil(() -> processor.activeProcessorThreads() == 0, name + " to stop");
        processor.resetTokens();
        // a start that races the previous worker launcher's exit can leave the processor idle: start again
        for (int attempt = 1; ; attempt++) {
            processor.start();
            if (waitFor(() -> working(processor), START_TIMEOUT)) {
                return;
            }
            if (attempt == START_ATTEMPTS) {
                throw new IllegalStateException("projection " + name + " did not start after its reset");
            }
            processor.shutdownAsync().join();
        }
    }

    /**
     * Whether a segment is still replaying. Axon keeps flagging a segment as replaying until it handles
     * an event beyond the reset point; on an idle stream the replay is over once it reached that point.
     */
    public static boolean isReplaying(EventTrackerStatus segment) {
        if (!segment.isReplaying()) {
            return false;
        }
        OptionalLong current = segment.getCurrentPosition();
        OptionalLong reset = segment.getResetPosition();
        return current.isEmpty() || reset.isEmpty() || current.getAsLong() < reset.getAsLong();
    }

    /** Started, and processing its segment (in this single-segment setup, claimed by this instance). */
    private static boolean working(TrackingEventProcessor processor) {
        return processor.isRunning() && processor.activeProcessorThreads() > 0 && !processor.processingStatus().isEmpty();
    }

    public synchronized void replayAll() {
        statuses().forEach(status -> replay(status.name()));
    }

    private ProjectionStatus status(TrackingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        Long head = headPosition(processor);
        Long position = null;
        Long resetPosition = null;
        boolean replaying = false;
        for (EventTrackerStatus segment : segments.values()) {
            OptionalLong current = segment.getCurrentPosition();
            if (current.isPresent()) {
                position = position == null ? current.getAsLong() : Math.min(position, current.getAsLong());
            }
            replaying |= isReplaying(segment);
            OptionalLong reset = segment.getResetPosition();
            if (isReplaying(segment) && reset.isPresent()) {
                resetPosition = reset.getAsLong();
            }
        }
        Long lag = head == null || position == null ? null : Math.max(0, head - position);
        Double progress = !replaying || resetPosition == null || resetPosition == 0 ? null
                : Math.min(100.0, Math.round(1000.0 * (position == null ? 0 : position) / resetPosition) / 10.0);
        return new ProjectionStatus(processor.getName(), processor.isRunning(), processor.isError(), replaying,
                position, head, lag, progress);
    }

    private static Long headPosition(TrackingEventProcessor processor) {
        StreamableMessageSource<?> source = processor.getMessageSource();
        TrackingToken head = source.createHeadToken();
        return head == null ? null : head.position().stream().boxed().findFirst().orElse(null);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        if (!waitFor(condition, TIMEOUT)) {
            throw new IllegalStateException("gave up waiting for " + what);
        }
    }

    private static boolean waitFor(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }
}
