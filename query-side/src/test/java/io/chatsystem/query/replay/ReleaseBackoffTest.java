package io.chatsystem.query.replay;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A segment that comes back unclaimed is offered again ever less often, so it is mostly being processed. */
class ReleaseBackoffTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ReleaseBackoff backoff = new ReleaseBackoff(Duration.ofSeconds(15), Duration.ofMinutes(10));

    @Test
    void aReleasedSegmentIsNotReleasedAgainWhileItsWorkerFinishesItsBatch() {
        assertThat(backoff.tryRelease("search", 1, 0)).isTrue();
        assertThat(backoff.tryRelease("search", 1, 2 * SECOND)).as("the next balance pass").isFalse();
        assertThat(backoff.tryRelease("search", 0, 2 * SECOND)).as("another segment").isTrue();
        assertThat(backoff.tryRelease("chats", 1, 2 * SECOND)).as("another projection").isTrue();
    }

    @Test
    void eachReturnUnclaimedDoublesTheWaitUpToTheCeiling() {
        long now = 0;
        assertThat(backoff.tryRelease("search", 1, now)).isTrue();
        long[] waits = {30, 60, 120, 240, 480, 600, 600};
        for (long wait : waits) {
            assertThat(backoff.tryRelease("search", 1, now + wait * SECOND - 1)).as("before %d s", wait).isFalse();
            assertThat(backoff.tryRelease("search", 1, now + wait * SECOND)).as("at %d s", wait).isTrue();
            now += wait * SECOND;
        }
    }

    @Test
    void aChangeOfInstancesStartsAfresh() {
        backoff.tryRelease("chats", 1, 0);
        assertThat(backoff.tryRelease("chats", 1, SECOND)).isFalse();
        backoff.forgetAll();
        assertThat(backoff.tryRelease("chats", 1, 2 * SECOND)).isTrue();
    }
}
