package io.chatsystem.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of each process of the system, read from {@code /proc}: what a row of the benchmark cost,
 * which stays steady on a shared machine where throughput moves by a third from run to run.
 * Processes are told apart by their command lines, so it works for {@code bin/run-local} and for the
 * stack the benchmark starts itself; the load generator is this process.
 */
final class ProcessCpu {

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    record Role(String name, Predicate<String> commandLine) {
    }

    private static final long SELF = ProcessHandle.current().pid();

    /** In print order; a process belongs to the first role whose test its command line passes. */
    static final List<Role> ROLES = List.of(
            new Role("load generator", line -> false),
            new Role("gateway", line -> line.contains("local-stack-") && line.contains("-exec.jar") || line.startsWith("nginx")),
            new Role("command side", line -> line.contains("command-side") && line.contains(".jar")),
            new Role("query side", line -> line.contains("query-side") && line.contains(".jar")),
            new Role("Axon Server", line -> line.contains("axonserver")),
            new Role("MariaDB", line -> line.contains("mariadbd") || line.contains("mysqld")),
            new Role("Elasticsearch", line -> line.contains("org.elasticsearch.")),
            new Role("Redis", line -> line.contains("redis-server")));

    /** CPU-seconds used so far, by role. */
    static Map<String, Double> sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        ROLES.forEach(role -> seconds.put(role.name(), 0.0));
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                String role = pid == SELF ? ROLES.getFirst().name() : roleOf(commandLine(p));
                if (role != null) {
                    seconds.merge(role, cpuSeconds(p), Double::sum);
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /** Resident memory of the processes of {@code role}, in MB (from VmRSS in /proc/PID/status). */
    static long residentMegabytes(String role) {
        long kilobytes = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                if (role.equals(roleOf(commandLine(process)))) {
                    for (String line : Files.readAllLines(process.resolve("status"))) {
                        if (line.startsWith("VmRSS:")) {
                            kilobytes += Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return kilobytes / 1024;
    }

    /** The query-side process listening on {@code port} (the local run passes it as {@code PORT}), or -1. */
    static long querySidePid(int port) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                if ("query side".equals(roleOf(commandLine(process)))
                        && new String(Files.readAllBytes(process.resolve("environ")), StandardCharsets.UTF_8)
                        .contains("\0PORT=" + port + "\0")) {
                    return Long.parseLong(process.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** {@code after - before} by role, per 1 000 operations. */
    static Map<String, Double> perThousand(Map<String, Double> before, Map<String, Double> after, long operations) {
        Map<String, Double> cost = new LinkedHashMap<>();
        after.forEach((role, seconds) -> cost.put(role,
                Math.max(0, seconds - before.getOrDefault(role, 0.0)) * 1000.0 / operations));
        return cost;
    }

    private static String roleOf(String commandLine) {
        if (commandLine.isEmpty()) {
            return null;
        }
        return ROLES.stream().skip(1).filter(role -> role.commandLine().test(commandLine))
                .map(Role::name).findFirst().orElse(null);
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // gone, or not ours to read
        }
    }

    /** utime + stime: fields 14 and 15 of /proc/PID/stat, counted after the command name in parentheses. */
    private static double cpuSeconds(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
