package io.chatsystem.query.counts;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.chatsystem.query.replay.Projections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.IntervalTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Every {@code chat.counts.flush-interval}, writes the live version's figures that changed to MySQL in bulk.
 * (A version whose figures Redis lost is rebuilt beside it: {@link CountsReadModel#needsRebuild}.)
 */
@Configuration
@EnableScheduling
class CountsFlusher implements SchedulingConfigurer {

    @ConfigurationProperties("chat.counts")
    record Settings(@DefaultValue("5s") Duration flushInterval) {
    }

    private static final Logger log = LoggerFactory.getLogger(CountsFlusher.class);

    private final CountFigures figures;
    private final CountColumns columns;
    private final Projections projections;
    private final Settings settings;
    private final MeterRegistry meters;
    private boolean failing;

    CountsFlusher(CountFigures figures, CountColumns columns, Projections projections, Settings settings,
                  MeterRegistry meters) {
        this.figures = figures;
        this.columns = columns;
        this.projections = projections;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new IntervalTask(this::run, settings.flushInterval(), settings.flushInterval()));
    }

    void run() {
        Integer version = projections.liveVersion(CountsReadModel.NAME);
        if (version == null) {
            return;
        }
        try {
            for (CountFigures.Kind kind : CountFigures.Kind.values()) {
                flush(version, kind);
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

    private void flush(int version, CountFigures.Kind kind) {
        Map<String, Long> changed = figures.changed(version, kind);
        if (changed.isEmpty()) {
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        columns.write(kind, changed);
        sample.stop(meters.timer("chat.counts.flush", "kind", kind.name()));
        meters.summary("chat.counts.flush.rows", "kind", kind.name()).record(changed.size());
        figures.flushed(version, kind);
    }
}
