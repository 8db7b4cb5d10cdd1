package io.chatsystem.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreCallsTest {

    private static final Duration PROBE = Duration.ofMillis(20);
    private static final Duration CONFIRMATION = Duration.ofMillis(200);

    private volatile Health db = Health.up().build();
    private final DefaultHealthContributorRegistry registry = new DefaultHealthContributorRegistry();

    StoreCallsTest() {
        registry.registerContributor("db", (HealthIndicator) () -> db);
    }

    @Test
    void aRequestWaitingForAStoreThatGoesDownAnswersAtOnceNotAtItsDeadline() throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            StoreCalls calls = new StoreCalls(Duration.ofMinutes(10), monitor);
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> calls.call(() -> {
                await(frozen);
                return "late";
            }));
            db = Health.down().build();

            // the deadline is ten minutes off: only the monitor's word can end the wait
            assertThatThrownBy(() -> request.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreUnavailableException.class)
                    .cause().hasMessageContaining("is down");
            assertThat(monitor.down()).isEqualTo("db");
            // while it is down, a new request does not even start its call
            assertThatThrownBy(() -> calls.call(() -> "never")).isInstanceOf(StoreUnavailableException.class);
        } finally {
            frozen.countDown();
        }
    }

    @Test
    void aSlowStoreThatIsUpIsWaitedForUntilTheDeadline() {
        CountDownLatch frozen = new CountDownLatch(1);
        try (StoreMonitor monitor = monitor()) {
            monitor.start();
            StoreCalls calls = new StoreCalls(Duration.ofMillis(300), monitor);
            assertThat(calls.call(() -> "answer")).isEqualTo("answer");
            assertThatThrownBy(() -> calls.call(() -> {
                await(frozen);
                return "late";
            })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("did not answer within 300 ms");
            assertThat(monitor.getAsBoolean()).isTrue();
        } finally {
            frozen.countDown();
        }
    }

    @Test
    void aRefusalIsTheCallersOwnFailureAndAnOutageA503() {
        try (StoreMonitor monitor = monitor()) {
            StoreCalls calls = new StoreCalls(Duration.ofSeconds(10), monitor);
            assertThatThrownBy(() -> calls.call(() -> {
                throw new IllegalArgumentException("no such chat");
            })).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> calls.call(() -> {
                throw new java.io.UncheckedIOException(new java.net.ConnectException("refused"));
            })).isInstanceOf(StoreUnavailableException.class);
        }
    }

    private StoreMonitor monitor() {
        return new StoreMonitor(registry, List.of("db"), PROBE, CONFIRMATION, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
