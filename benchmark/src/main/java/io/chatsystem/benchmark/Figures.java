package io.chatsystem.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** Rows of the printed table. */
final class Figures {

    record Row(String scenario, long operations, double perSecond, Histogram latency) {
    }

    private final List<Row> rows = new ArrayList<>();

    static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    }

    void add(String scenario, long operations, long elapsedNanos, Histogram latency) {
        rows.add(new Row(scenario, operations, operations * 1e9 / elapsedNanos, latency));
    }

    /** The row of a scenario, if it was measured. */
    Optional<Row> find(String scenario) {
        return rows.stream().filter(row -> row.scenario().equals(scenario)).findFirst();
    }

    void print() {
        System.out.printf("%n%-58s %8s %10s %9s %9s %9s %9s%n",
                "scenario", "ops", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (Row row : rows) {
            Histogram h = row.latency();
            System.out.printf("%-58s %8d %10s %9.2f %9.2f %9.2f %9.2f%n", row.scenario(), row.operations(),
                    Double.isNaN(row.perSecond()) ? "-" : String.format("%.0f", row.perSecond()),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
