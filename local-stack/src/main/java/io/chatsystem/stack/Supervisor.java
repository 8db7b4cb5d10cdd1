package io.chatsystem.stack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the local run's processes alive: one that died is started again after a back-off that doubles
 * with each recent restart, and one that keeps dying ({@link #MAX_RESTARTS} times within
 * {@link #WINDOW}) ends the run, with the reason. Each restart is one log line.
 */
final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    static final int MAX_RESTARTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(16);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private record Watched(String name, BooleanSupplier alive, Runnable restart, Deque<Long> restarts) {
    }

    private final List<Watched> watched = new ArrayList<>();

    /** {@code restart} starts the process again and returns once it is ready. */
    Supervisor watch(String name, BooleanSupplier alive, Runnable restart) {
        watched.add(new Watched(name, alive, restart, new ArrayDeque<>()));
        return this;
    }

    /** Supervises until {@code stopping} turns true (0) or a process keeps dying (1). */
    int run(BooleanSupplier stopping) {
        while (!stopping.getAsBoolean()) {
            for (Watched process : watched) {
                if (stopping.getAsBoolean()) {
                    return 0;
                }
                if (!process.alive().getAsBoolean() && !restart(process, stopping)) {
                    return 1;
                }
            }
            sleep(CHECK_INTERVAL);
        }
        return 0;
    }

    /** False when the process has died too often to go on. */
    private boolean restart(Watched process, BooleanSupplier stopping) {
        long now = System.nanoTime();
        Deque<Long> recent = process.restarts();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW.toNanos()) {
            recent.removeFirst();
        }
        if (recent.size() >= MAX_RESTARTS) {
            log.error("{} died {} times within {} s; giving up and stopping everything", process.name(),
                    recent.size() + 1, WINDOW.toSeconds());
            return false;
        }
        Duration backOff = FIRST_BACK_OFF.multipliedBy(1L << recent.size());
        if (backOff.compareTo(LONGEST_BACK_OFF) > 0) {
            backOff = LONGEST_BACK_OFF;
        }
        log.warn("{} died; starting it again in {} s (restart {} of at most {} a minute)", process.name(),
                backOff.toSeconds(), recent.size() + 1, MAX_RESTARTS);
        sleep(backOff);
        if (stopping.getAsBoolean()) {
            return true;
        }
        recent.addLast(System.nanoTime());
        try {
            process.restart().run();
            log.info("{} is running again", process.name());
        } catch (RuntimeException e) {
            log.error("{} did not start again: {}", process.name(), e.getMessage());
        }
        return true;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
