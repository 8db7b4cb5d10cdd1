package io.chatsystem.command.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** {@link RateLimiter} on a clock the test moves. */
class RateLimiterTest {

    private static final long SECOND = RateLimiter.SECOND;
    private static final long MILLI = 1_000_000;

    /** Starts at an arbitrary point, as {@code System.nanoTime} does. */
    private final AtomicLong clock = new AtomicLong(-7 * SECOND);

    private RateLimiter limiter(double rate, int burst, int maxKeys) {
        return new RateLimiter(rate, burst, maxKeys, clock::get, Runnable::run);
    }

    @Test
    void admitsTheBurstAtOnceThenTheRateAndRefusesUntilTheNextOneFits() {
        RateLimiter limiter = limiter(10, 20, 100);

        for (int i = 0; i < 20; i++) {
            RateLimiter.Decision decision = limiter.acquire("a");
            assertThat(decision.admitted()).as("request %d", i).isTrue();
            assertThat(decision.remaining()).isEqualTo(19 - i);
            assertThat(decision.nanosUntilFull()).isEqualTo((i + 1) * 100 * MILLI);
        }
        RateLimiter.Decision refused = limiter.acquire("a");
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterNanos()).isEqualTo(100 * MILLI);

        clock.addAndGet(40 * MILLI);
        assertThat(limiter.acquire("a").retryAfterNanos()).isEqualTo(60 * MILLI);
        clock.addAndGet(60 * MILLI);
        assertThat(limiter.acquire("a").admitted()).isTrue();
        assertThat(limiter.acquire("a").admitted()).isFalse();

        // a second later: the rate's ten more, not one more
        clock.addAndGet(SECOND);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("a").admitted()).as("request %d of the next second", i).isTrue();
        }
        assertThat(limiter.acquire("a").admitted()).isFalse();

        // idle for the window (burst / rate): the whole burst again
        clock.addAndGet(2 * SECOND);
        assertThat(limiter.acquire("a").remaining()).isEqualTo(19);
    }

    @Test
    void aRefusedRequestCostsNothing() {
        RateLimiter limiter = limiter(1, 1, 100);
        assertThat(limiter.acquire("a").admitted()).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.acquire("a").admitted()).isFalse();
        }
        clock.addAndGet(SECOND);
        assertThat(limiter.acquire("a").admitted()).isTrue();
    }

    @Test
    void aFractionalRateRefillsOverSeconds() {
        RateLimiter limiter = limiter(0.5, 1, 100);
        assertThat(limiter.acquire("a").admitted()).isTrue();
        assertThat(limiter.acquire("a").retryAfterNanos()).isEqualTo(2 * SECOND);
        assertThat(limiter.windowSeconds()).isEqualTo(2);
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        RateLimiter limiter = limiter(1, 3, 100);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThat(limiter.acquire("a").admitted()).isFalse();
        assertThat(limiter.acquire("b").admitted()).isTrue();
        assertThat(limiter.acquire("b").remaining()).isEqualTo(1);
    }

    @Test
    void aRefundGivesTheRequestBack() {
        RateLimiter limiter = limiter(1, 2, 100);
        limiter.acquire("a");
        limiter.acquire("a");
        limiter.refund("a");
        assertThat(limiter.acquire("a").admitted()).isTrue();
        assertThat(limiter.acquire("a").admitted()).isFalse();
        limiter.refund("never seen"); // nothing to give back
        assertThat(limiter.trackedKeys()).isEqualTo(1);
    }

    @Test
    void idleKeysAreForgottenOnceTheirBucketIsFull() {
        RateLimiter limiter = limiter(10, 20, 100);
        for (int key = 0; key < 50; key++) {
            limiter.acquire("key " + key);
        }
        limiter.acquire("busy");
        assertThat(limiter.trackedKeys()).isEqualTo(51);

        // full again after 0.1 s, forgotten at the next sweep; a key still spending its bucket is kept
        clock.addAndGet(RateLimiter.SWEEP_INTERVAL);
        for (int i = 0; i < 20; i++) {
            limiter.acquire("busy");
        }
        assertThat(limiter.trackedKeys()).isEqualTo(1);
        assertThat(limiter.acquire("busy").admitted()).as("its bucket kept, and empty").isFalse();
        assertThat(limiter.acquire("key 0").remaining()).as("a forgotten key starts with a full bucket").isEqualTo(19);
    }

    @Test
    void theKeysStayBoundedAndThoseSpendingTheirBucketsAreKept() {
        RateLimiter limiter = limiter(1, 100, 1000);
        // a flooder that emptied its bucket, then many keys with one request each, all within the sweep interval
        for (int i = 0; i < 100; i++) {
            limiter.acquire("flooder");
        }
        for (int key = 0; key < 10_000; key++) {
            clock.addAndGet(100_000);
            limiter.acquire("key " + key);
            assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(1000);
        }
        // a second on: one more for the flooder, whose bucket survived the evictions (a fresh one would hold 100)
        assertThat(limiter.acquire("flooder").remaining()).isZero();
        assertThat(limiter.acquire("flooder").admitted()).isFalse();
        assertThat(limiter.acquire("key 9999").remaining()).as("the newest keys are kept").isEqualTo(98);
    }

    @Test
    void concurrentRequestsTakeExactlyTheBurst() throws Exception {
        RateLimiter limiter = limiter(10, 100_000, 10);
        AtomicLong admitted = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < 25_000; i++) {
                    if (limiter.acquire("a").admitted()) {
                        admitted.incrementAndGet();
                    }
                    if (thread == 0 && i % 10 == 0) {
                        limiter.acquire("other " + i); // keys past the cap: swept meanwhile
                    }
                }
            });
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admitted.get()).isEqualTo(100_000);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> limiter(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.check("per-client", -1, 1)).hasMessageContaining("per-client.rate");
        assertThatThrownBy(() -> RateLimiter.check("per-client", Double.NaN, 1)).hasMessageContaining("per-client.rate");
        assertThatThrownBy(() -> RateLimiter.check("per-client", 0.001, 1000)).hasMessageContaining("per-client.burst");
        RateLimiter.check("per-client", 0, 0); // off
    }
}
