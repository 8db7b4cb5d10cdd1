package io.chatsystem.query.counts;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Every {@code chat.counts.flush-interval}, writes the figures that changed to MySQL in bulk. If
 * Redis turns out to hold no figures (a new or emptied instance), rebuilds them by replaying the
 * counts projection; MySQL keeps its last figures meanwhile, since a column never goes down.
 */
@Configuration
@EnableScheduling
class CountsFlusher implements SchedulingConfigurer {

    @ConfigurationProperties("chat.counts")
    record Settings(@DefaultValue("5s") Duration flushInterval) {
    }

    private static final Logger log = LoggerFactory.getLogger(CountsFlusher.class);
    private static final Duration REBUILD_TIMEOUT = Duration.ofSeconds(30);

    private final CountFigures figures;
    private final CountColumns columns;
    private final EventProcessingConfiguration processing;
    private final Settings settings;
    private final MeterRegistry meters;
    private boolean failing;

    CountsFlusher(CountFigures figures, CountColumns columns, EventProcessingConfiguration processing,
                  Settings settings, MeterRegistry meters) {
        this.figures = figures;
        this.columns = columns;
        this.processing = processing;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::run, settings.flushInterval());
    }

    void run() {
        try {
            if (!figures.holdsHistory()) {
                rebuild();
                return;
            }
            for (CountFigures.Kind kind : CountFigures.Kind.values()) {
                flush(kind);
            }
            if (failing) {
                log.info("Count figures are flowing to MySQL again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot write count figures to MySQL ({}); retrying every {}", e.getMessage(),
                        settings.flushInterval());
                failing = true;
            }
        }
    }

    private void flush(CountFigures.Kind kind) {
        Map<String, Long> changed = figures.changed(kind);
        if (changed.isEmpty()) {
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        List<String> notWritten = columns.write(kind, changed);
        sample.stop(meters.timer("chat.counts.flush", "kind", kind.name()));
        meters.summary("chat.counts.flush.rows", "kind", kind.name()).record(changed.size());
        figures.flushed(kind, notWritten);
    }

    private void rebuild() {
        TrackingEventProcessor processor = processing
                .eventProcessor(CountsProjection.NAME, TrackingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no tracking processor " + CountsProjection.NAME));
        log.info("Redis holds no count figures (new or emptied instance): rebuilding them from the event store");
        processor.shutdownAsync().join();
        awaitUntil(() -> processor.activeProcessorThreads() == 0, "the counts processor to stop");
        processor.resetTokens(); // the reset handler clears the figures and marks Redis as holding history
        processor.start();
        awaitUntil(processor::isRunning, "the counts processor to start");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + REBUILD_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
