package io.chatsystem.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** Rows of the printed table. */
final class Figures {

    /** {@code cpu}: CPU-seconds per 1 000 operations by process, empty when not measured. */
    record Row(String scenario, long operations, double perSecond, Histogram latency, Map<String, Double> cpu) {
    }

    private final List<Row> rows = new ArrayList<>();

    static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    }

    void add(String scenario, long operations, long elapsedNanos, Histogram latency) {
        add(scenario, operations, elapsedNanos, latency, Map.of());
    }

    void add(String scenario, long operations, long elapsedNanos, Histogram latency, Map<String, Double> cpu) {
        rows.add(new Row(scenario, operations, operations * 1e9 / elapsedNanos, latency, cpu));
    }

    /** A row of CPU only: {@code cpu} in CPU-seconds per 1 000 seconds, i.e. CPU-milliseconds a second. */
    void addIdle(String scenario, long seconds, Map<String, Double> cpu) {
        rows.add(new Row(scenario, seconds, Double.NaN, histogram(), cpu));
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

    /** The rows of each mode next to each other: throughput, p99 and total CPU per 1 000 operations. */
    static void printSideBySide(Map<String, Figures> modes) {
        List<String> names = List.copyOf(modes.keySet());
        System.out.printf("%n%-58s", "scenario");
        names.forEach(mode -> System.out.printf(" | %-31s", mode));
        System.out.printf("%n%-58s", "");
        names.forEach(mode -> System.out.printf(" | %9s %9s %11s", "ops/s", "p99 ms", "CPU-s/1000"));
        System.out.println();
        for (Row row : modes.get(names.getFirst()).rows) {
            System.out.printf("%-58s", row.scenario());
            for (String mode : names) {
                Optional<Row> same = modes.get(mode).find(row.scenario());
                System.out.print(same.map(r -> String.format(" | %9s %9.2f %11s",
                        Double.isNaN(r.perSecond()) ? "-" : String.format("%.0f", r.perSecond()),
                        ms(r.latency().getValueAtPercentile(99)),
                        r.cpu().isEmpty() ? "-" : String.format("%.3f",
                                r.cpu().values().stream().mapToDouble(Double::doubleValue).sum())))
                        .orElse(String.format(" | %31s", "-")));
            }
            System.out.println();
        }
    }

    /** CPU-seconds per 1 000 operations of each process, for the rows that measured it. */
    void printCpu() {
        List<Row> measured = rows.stream().filter(row -> !row.cpu().isEmpty()).toList();
        if (measured.isEmpty()) {
            return;
        }
        List<String> roles = ProcessCpu.ROLES.stream().map(ProcessCpu.Role::name).toList();
        System.out.printf("%nCPU-seconds per 1 000 operations, by process%n%-58s", "scenario");
        roles.forEach(role -> System.out.printf(" %9s", abbreviate(role)));
        System.out.printf(" %9s%n", "total");
        for (Row row : measured) {
            System.out.printf("%-58s", row.scenario());
            roles.forEach(role -> System.out.printf(" %9.3f", row.cpu().getOrDefault(role, 0.0)));
            System.out.printf(" %9.3f%n", row.cpu().values().stream().mapToDouble(Double::doubleValue).sum());
        }
    }

    private static String abbreviate(String role) {
        return role.length() <= 9 ? role : role.substring(0, 9);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
