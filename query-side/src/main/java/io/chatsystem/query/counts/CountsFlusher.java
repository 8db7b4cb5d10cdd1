package io.chatsystem.query.counts;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.chatsystem.query.replay.ProjectionAdmin;
import io.chatsystem.query.replay.ReplayAlreadyRunningException;
import io.chatsystem.query.replay.ReadStoreCleared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.IntervalTask;
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
    record Settings(@DefaultValue("5s") Duration flushInterval, @DefaultValue("15s") Duration firstRunDelay) {
    }

    private static final Logger log = LoggerFactory.getLogger(CountsFlusher.class);

    private final CountFigures figures;
    private final CountColumns columns;
    private final ProjectionAdmin projections;
    private final Settings settings;
    private final MeterRegistry meters;
    private boolean failing;

    CountsFlusher(CountFigures figures, CountColumns columns, ProjectionAdmin projections,
                  Settings settings, MeterRegistry meters) {
        this.figures = figures;
        this.columns = columns;
        this.projections = projections;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        // the first run waits until the processors have settled: resetting one that is still
        // starting can leave it stranded (its launcher and the restart race)
        registrar.addFixedDelayTask(new IntervalTask(this::run, settings.flushInterval(), settings.firstRunDelay()));
    }

    /**
     * A new system (or a new query-side database): Redis holds no figures, and the projection has counted
     * nothing yet, so there is nothing to rebuild. Told now, before the first events arrive, rather than at
     * the first flush, by when the projection may have counted some and the empty Redis would look lost.
     */
    @EventListener(ApplicationReadyEvent.class)
    void startedOnANewSystem() {
        try {
            if (!figures.holdsHistory()) {
                markedAsNew();
            }
        } catch (RuntimeException e) {
            log.debug("Could not tell whether the system is new; the first flush decides", e);
        }
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

    /** A rebuilt table lost its count column: write every figure again (rows not back yet wait for later runs). */
    @EventListener
    void on(ReadStoreCleared cleared) {
        switch (cleared.table()) {
            case "applications" -> figures.markAllChanged(CountFigures.Kind.CHATS_PER_APPLICATION);
            case "chats" -> figures.markAllChanged(CountFigures.Kind.MESSAGES_PER_CHAT);
            default -> { }
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

    /** On a new system, marks Redis as holding the (empty) history: true then, false if there is history to rebuild. */
    private boolean markedAsNew() {
        if (!projections.processedNothing(CountsProjection.NAME)) {
            return false;
        }
        figures.markHoldingHistory();
        return true;
    }

    private void rebuild() {
        if (markedAsNew()) {
            return;
        }
        log.info("Redis holds no count figures (new or emptied instance): rebuilding them from the event store");
        // the reset handler clears the figures and marks Redis as holding history again
        try {
            projections.replay(CountsProjection.NAME);
        } catch (ReplayAlreadyRunningException e) {
            log.info("Another query-side instance is rebuilding them already");
        }
    }
}
