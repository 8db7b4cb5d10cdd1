package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When {@link SegmentBalance} may release a segment (by processor and segment) again: not within the
 * release period after a release (the worker lets go only after its current batch), and, each time the
 * segment comes back unclaimed, only after twice the last wait, up to a ceiling. Not thread-safe: the
 * balance's passes never overlap.
 */
final class ReleaseBackoff {

    /** The last release of a segment: when it may be released again, and how many times it was. */
    private record Release(long notBefore, int times) {
    }

    private final long releaseForNanos;
    private final long maxBackoffNanos;
    private final Map<String, Release> released = new HashMap<>();

    ReleaseBackoff(Duration releaseFor, Duration maxBackoff) {
        this.releaseForNanos = releaseFor.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    /** Whether the segment may be released at {@code now} (nano time); if so, the release is recorded. */
    boolean tryRelease(String processor, int segment, long now) {
        String key = processor + "/" + segment;
        Release last = released.get(key);
        if (last != null && now - last.notBefore() < 0) {
            return false;
        }
        int times = last == null ? 1 : last.times() + 1;
        long wait = Math.min(releaseForNanos << Math.min(times, 20), maxBackoffNanos);
        released.put(key, new Release(now + wait, times));
        return true;
    }

    /** The instances changed: every segment starts afresh. */
    void forgetAll() {
        released.clear();
    }
}
