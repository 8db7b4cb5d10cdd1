package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class HealthTimeLimitTest {

    private final HealthTimeLimitAutoConfiguration.Rounds rounds = new HealthTimeLimitAutoConfiguration.Rounds(Duration.ofSeconds(1));
    private final AtomicInteger dbChecks = new AtomicInteger();
    private final AtomicInteger searchChecks = new AtomicInteger();
    private final HealthTimeLimitAutoConfiguration.TimeLimited db = new HealthTimeLimitAutoConfiguration.TimeLimited(
            rounds.add(() -> { dbChecks.incrementAndGet(); return Health.up().build(); }));
    private final HealthTimeLimitAutoConfiguration.TimeLimited search = new HealthTimeLimitAutoConfiguration.TimeLimited(
            rounds.add(() -> { searchChecks.incrementAndGet(); return Health.down().build(); }));

    /** A health request asks every indicator: the first one asked starts all their checks at once. */
    @Test
    void aHealthRequestChecksEveryIndicatorInOneRound() {
        assertThat(db.health().getStatus()).isEqualTo(Status.UP);
        assertThat(search.health().getStatus()).isEqualTo(Status.DOWN);

        assertThat(dbChecks).hasValue(1);
        assertThat(searchChecks).hasValue(1);
    }

    /** A store probe asks one store, several times a second: the others are not checked for it. */
    @Test
    void aCheckAloneRunsThatCheckOnly() {
        for (int probe = 0; probe < 3; probe++) {
            assertThat(db.checkAlone().getStatus()).isEqualTo(Status.UP);
        }

        assertThat(dbChecks).hasValue(3);
        assertThat(searchChecks).hasValue(0);
    }

    @Test
    void aCheckAloneStillAnswersWithinTheTimeLimit() {
        var slow = new HealthTimeLimitAutoConfiguration.TimeLimited(new HealthTimeLimitAutoConfiguration.Rounds(Duration.ofMillis(100))
                .add(() -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Health.up().build();
                }));
        long started = System.nanoTime();
        assertThat(slow.checkAlone().getStatus()).isEqualTo(Status.DOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }
}
