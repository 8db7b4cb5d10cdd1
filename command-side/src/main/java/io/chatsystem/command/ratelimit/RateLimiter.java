package io.chatsystem.command.ratelimit;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per key ({@code rate} a second, up to {@code burst} at once), kept as the generic cell rate
 * algorithm (GCRA) keeps it: one long per key, its "theoretical arrival time", the moment its bucket would be
 * full again. A request moves it one {@code 1 s / rate} further on from the later of itself and now, and is
 * admitted when that leaves it at most {@code burst / rate} ahead of now; one compare-and-set, no lock, no
 * allocation for a key already known. A refused request costs nothing.
 *
 * <p>In the memory of one instance: with N command sides a key may get up to N times its limit, as far as its
 * requests are spread over them (the gateway sends the writes of one chat, or to one application's own
 * resource, to one instance; an application writing to many chats, or a client, is spread).
 *
 * <p>Bounded memory: a key whose bucket is full is the same as a key never seen, so such keys are forgotten
 * every {@link #SWEEP_INTERVAL} (idle keys expire within their refill time and that). At {@code maxKeys}
 * keys the full ones are forgotten at once, and if that is not enough, those nearest to full (the least
 * recently or least heavily used) down to nine tenths of {@code maxKeys}: such a key starts afresh with a
 * full bucket, the keys that are spending theirs are kept. A sweep runs on the {@code sweeper} (a virtual thread)
 * when a request finds it due, one at a time, while requests go on (the keys they add meanwhile may pass the cap
 * for that while). Measured on two busy shared cores: forgetting 100 000 full buckets some 10 ms, finding the
 * nearest to full among 100 000 some 20-90 ms (every 10 000 new keys at most); a request of a known key some 20 ns.
 */
final class RateLimiter {

    static final long SECOND = 1_000_000_000L;
    /** How often full buckets (idle keys) are forgotten. */
    static final long SWEEP_INTERVAL = 10 * SECOND;
    /** The longest a bucket may take to fill: overflows stay out of reach, and a day covers any use. */
    private static final double MAX_FILL_SECONDS = 86_400;
    /** The arrival time of a bucket being forgotten: whoever meets it takes a fresh one. */
    private static final long FORGOTTEN = Long.MIN_VALUE;

    /**
     * What one request found: admitted with {@code remaining} requests left at once and its bucket full again
     * in {@code nanosUntilFull}; or refused, to be tried again in {@code retryAfterNanos} at the earliest.
     */
    record Decision(boolean admitted, long remaining, long nanosUntilFull, long retryAfterNanos) {

        static Decision admitted(long remaining, long nanosUntilFull) {
            return new Decision(true, remaining, nanosUntilFull, 0);
        }

        static Decision refused(long retryAfterNanos) {
            return new Decision(false, 0, 0, retryAfterNanos);
        }
    }

    private final int burst;
    /** Nanos between two requests at the rate: what each one moves the arrival time on. */
    private final long interval;
    /** How far ahead of now an arrival time may get: burst × interval. */
    private final long capacity;
    private final int maxKeys;
    private final int lowWater;
    private final LongSupplier nanoTime;
    private final Executor sweeper;
    /** Times are kept from here on, so they are never negative and never {@link #FORGOTTEN}. */
    private final long origin;
    private final ConcurrentHashMap<String, AtomicLong> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(SWEEP_INTERVAL);
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /**
     * {@code nanoTime}: a monotonic clock, {@code System::nanoTime} but in tests; {@code sweeper}: where sweeps run,
     * a new virtual thread each but in tests.
     */
    RateLimiter(double rate, int burst, int maxKeys, LongSupplier nanoTime, Executor sweeper) {
        if (!(rate > 0) || rate > SECOND || burst < 1 || burst / rate > MAX_FILL_SECONDS || maxKeys < 1) {
            throw new IllegalArgumentException("no rate limiter of rate " + rate + ", burst " + burst + ", keys " + maxKeys);
        }
        this.burst = burst;
        this.interval = Math.max(1, Math.round(SECOND / rate));
        this.capacity = burst * interval;
        this.maxKeys = maxKeys;
        this.lowWater = maxKeys - Math.max(1, maxKeys / 10);
        this.nanoTime = nanoTime;
        this.sweeper = sweeper;
        this.origin = nanoTime.getAsLong();
    }

    /**
     * A limit's settings make sense: a rate of 0 (off), or a positive one with a bucket it fills within a day.
     * {@code limit}: its name under {@code chat.writes.rate-limits}, for the message.
     */
    static void check(String limit, double rate, int burst) {
        String name = "chat.writes.rate-limits." + limit;
        if (!(rate >= 0) || rate > SECOND) {
            throw new IllegalArgumentException(name + ".rate must be 0 (no limit) or up to 10^9 a second, not " + rate);
        }
        if (rate > 0 && (burst < 1 || burst / rate > MAX_FILL_SECONDS)) {
            throw new IllegalArgumentException(name + ".burst must be at least 1 and fill at " + rate
                    + " a second within a day, not " + burst);
        }
    }

    /** Takes one request of {@code key} from its bucket, if it holds one. */
    Decision acquire(String key) {
        long now = nanoTime.getAsLong() - origin;
        if (now - nextSweep.get() >= 0) {
            sweepSoon(now);
        }
        while (true) {
            AtomicLong arrival = arrivals.get(key);
            if (arrival == null) {
                if (arrivals.size() >= maxKeys) {
                    sweepSoon(now);
                }
                arrival = arrivals.computeIfAbsent(key, absent -> new AtomicLong(now));
            }
            long before = arrival.get();
            if (before == FORGOTTEN) {
                arrivals.remove(key, arrival);
                continue;
            }
            long after = Math.max(before, now) + interval;
            long ahead = after - now;
            if (ahead > capacity) {
                return Decision.refused(ahead - capacity);
            }
            if (arrival.compareAndSet(before, after)) {
                return Decision.admitted((capacity - ahead) / interval, ahead);
            }
        }
    }

    /** Gives back the request {@link #acquire} took, for a request another limit refused. */
    void refund(String key) {
        AtomicLong arrival = arrivals.get(key);
        if (arrival == null) {
            return;
        }
        long before;
        do {
            before = arrival.get();
            if (before == FORGOTTEN) {
                return;
            }
        } while (!arrival.compareAndSet(before, before - interval));
    }

    int burst() {
        return burst;
    }

    /** The time an empty bucket takes to fill, in whole seconds (at least 1). */
    long windowSeconds() {
        return Math.max(1, (capacity + SECOND - 1) / SECOND);
    }

    /** How many keys have a bucket now. */
    int trackedKeys() {
        return arrivals.size();
    }

    /** Starts a sweep unless one is under way. */
    private void sweepSoon(long now) {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            try {
                sweeper.execute(() -> sweep(now));
            } catch (RuntimeException notStarted) {
                sweeping.set(false);
                throw notStarted;
            }
        }
    }

    /** Forgets the full buckets (by {@code now}) and, over the cap, those nearest to full. */
    private void sweep(long now) {
        try {
            arrivals.forEach((key, arrival) -> forgetIf(key, arrival, now));
            if (arrivals.size() > lowWater) {
                long[] times = arrivals.values().stream().mapToLong(AtomicLong::get)
                        .filter(time -> time != FORGOTTEN).toArray();
                if (times.length > lowWater) {
                    Arrays.sort(times);
                    long threshold = times[times.length - lowWater - 1];
                    arrivals.forEach((key, arrival) -> forgetIf(key, arrival, threshold));
                }
            }
            nextSweep.set(now + SWEEP_INTERVAL);
        } finally {
            sweeping.set(false);
        }
    }

    /** Forgets {@code key}'s bucket if it is full by {@code time}, unless a request moves it on meanwhile. */
    private void forgetIf(String key, AtomicLong arrival, long time) {
        long before = arrival.get();
        if (before != FORGOTTEN && before <= time && arrival.compareAndSet(before, FORGOTTEN)) {
            arrivals.remove(key, arrival);
        }
    }
}
