package io.chatsystem.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class StoreMonitorTest {

    private static final Duration PROBE = Duration.ofMillis(20);
    private static final Duration CONFIRMATION = Duration.ofMillis(400);

    private static final Duration IDLE_AFTER = Duration.ofMillis(200);
    private static final Duration IDLE_PROBE = Duration.ofSeconds(1);

    private final AtomicReference<Health> db = new AtomicReference<>(Health.up().build());
    private final AtomicInteger checks = new AtomicInteger();
    private final DefaultHealthContributorRegistry registry = new DefaultHealthContributorRegistry();

    @Test
    void aStoreIsDownOnlyOnceItsChecksKeepFailing() throws Exception {
        registry.registerContributor("db", (HealthIndicator) db::get);
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            monitor.calling(); // a request waits for the store throughout
            Thread.sleep(100);
            assertThat(monitor.getAsBoolean()).isTrue();

            // one slow check (a blip shorter than the confirmation): still up
            db.set(Health.down().build());
            Thread.sleep(CONFIRMATION.toMillis() / 4);
            db.set(Health.up().build());
            Thread.sleep(100);
            assertThat(monitor.getAsBoolean()).as("up after a blip").isTrue();

            db.set(Health.down().build());
            long failing = System.nanoTime();
            while (monitor.getAsBoolean() && System.nanoTime() - failing < 5 * CONFIRMATION.toNanos()) {
                Thread.sleep(5);
            }
            assertThat(monitor.down()).isEqualTo("db");
            assertThat(System.nanoTime() - failing).as("not before the confirmation")
                    .isGreaterThanOrEqualTo(CONFIRMATION.toNanos());

            db.set(Health.up().build());
            for (int wait = 0; !monitor.getAsBoolean() && wait < 500; wait++) {
                Thread.sleep(10);
            }
            assertThat(monitor.getAsBoolean()).as("back at the first good check").isTrue();
        }
    }

    @Test
    void aStoreThatKeepsAnsweringRequestsIsSlowNotDown() throws Exception {
        registry.registerContributor("db", (HealthIndicator) db::get);
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            // a saturated machine: every check misses its deadline, yet requests are answered
            db.set(Health.down().build());
            long failing = System.nanoTime();
            while (System.nanoTime() - failing < 3 * CONFIRMATION.toNanos()) {
                monitor.calling();
                monitor.called(true);
                assertThat(monitor.getAsBoolean()).as("up while requests are answered").isTrue();
                Thread.sleep(CONFIRMATION.toMillis() / 8);
            }

            // answers stop too: down once requests have waited without one for the confirmation
            monitor.calling();
            long silent = System.nanoTime();
            while (monitor.getAsBoolean() && System.nanoTime() - silent < 5 * CONFIRMATION.toNanos()) {
                Thread.sleep(5);
            }
            assertThat(monitor.down()).isEqualTo("db");
            assertThat(System.nanoTime() - silent).as("not before the confirmation")
                    .isGreaterThanOrEqualTo(CONFIRMATION.toNanos());

            // the request gives up (503): the store stays down until its checks pass, with no request waiting
            monitor.called(false);
            Thread.sleep(3 * CONFIRMATION.toMillis());
            assertThat(monitor.down()).isEqualTo("db");
            db.set(Health.up().build());
            for (int wait = 0; !monitor.getAsBoolean() && wait < 500; wait++) {
                Thread.sleep(10);
            }
            assertThat(monitor.getAsBoolean()).isTrue();
        }
    }

    /** A start-up on a saturated machine: checks miss their deadline while nothing waits for the stores. */
    @Test
    void failingChecksWithNoRequestWaitingAreNoOutage() throws Exception {
        registry.registerContributor("db", (HealthIndicator) db::get);
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            db.set(Health.down().build());
            Thread.sleep(3 * CONFIRMATION.toMillis());
            assertThat(monitor.getAsBoolean()).isTrue();

            // a request comes, and waits: now the failing checks are an outage it meets
            monitor.calling();
            long waiting = System.nanoTime();
            while (monitor.getAsBoolean() && System.nanoTime() - waiting < 5 * CONFIRMATION.toNanos()) {
                Thread.sleep(5);
            }
            assertThat(monitor.down()).isEqualTo("db");
        }
    }

    /** With no request for a while the stores are checked seldom; a request has them checked at the usual rate. */
    @Test
    void idleTheStoresAreCheckedSeldom() throws Exception {
        registry.registerContributor("db", (HealthIndicator) () -> {
            checks.incrementAndGet();
            return db.get();
        });
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            Thread.sleep(IDLE_AFTER.toMillis() + 100);
            int idleStart = checks.get();
            Thread.sleep(IDLE_PROBE.toMillis() - 100);
            assertThat(checks.get() - idleStart).as("checks in a second idle").isLessThanOrEqualTo(1);

            monitor.calling();
            monitor.called(true);
            int busyStart = checks.get();
            Thread.sleep(IDLE_AFTER.toMillis() - 50);
            assertThat(checks.get() - busyStart).as("checks right after a request").isGreaterThanOrEqualTo(3);
        }
    }

    private StoreMonitor monitor() {
        return new StoreMonitor(registry, List.of("db"), PROBE, CONFIRMATION, IDLE_AFTER, IDLE_PROBE);
    }
}
