package io.chatsystem.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the health of the stores every request needs ({@code chat.web.guarded-stores}: the
 * database and the event store), a few times a second. While one is DOWN, {@link StoreCalls} answers
 * 503 at once instead of letting requests wait for it; slowness that is only contention (many writes
 * to one chat) is never mistaken for an outage, nor are checks that miss their deadline on a saturated
 * machine (a start-up): a store goes down only on evidence, once its checks have failed for
 * {@code chat.web.outage-confirmation} and requests have been waiting for the stores as long without any
 * answer ({@link #calling()}, {@link #called}: a store that answers requests is slow, not down, and with no
 * request waiting a missed check is no outage that anyone meets). It is back at its first good check. One
 * log line when a store goes down and when it is back; {@link #onOutage} listeners hear of it at once.
 *
 * <p>With no call into the stores for {@code idleAfter}, and none down, the stores are checked only every
 * {@code idleInterval}: nobody needs a fast 503 then, and a call that comes checks them again at the next
 * interval, long before an outage could be confirmed.
 */
public final class StoreMonitor implements BooleanSupplier, SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreMonitor.class);

    private final HealthContributorRegistry registry;
    private final List<String> stores;
    private final long confirmationNanos;
    private final Duration interval;
    private final long idleAfterNanos;
    private final long idleIntervalNanos;
    private volatile long lastCall = System.nanoTime();
    private long lastProbe;
    private String failing;
    private long failingSince;
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("store-monitor").daemon().factory());
    private volatile String down;
    private final List<Runnable> outageListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile long lastAnswer = System.nanoTime();
    /** Calls into the stores under way, and since when some have been (the first of a run of them). */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long waitingSince;

    /**
     * @param confirmation how long a store must keep failing its checks before it counts as down: on a
     *                     saturated machine a single check can miss its deadline while the store is fine
     */
    public StoreMonitor(HealthContributorRegistry registry, List<String> stores, Duration interval,
                        Duration confirmation, Duration idleAfter, Duration idleInterval) {
        this.registry = registry;
        this.stores = stores;
        this.confirmationNanos = confirmation.toNanos();
        this.interval = interval;
        this.idleAfterNanos = idleAfter.toNanos();
        this.idleIntervalNanos = idleInterval.toNanos();
    }

    /** Starts probing once the application context is complete (the indicators look up beans of their own). */
    @Override
    public void start() {
        if (!running) {
            running = true;
            probes.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether every guarded store answered its last health check. */
    @Override
    public boolean getAsBoolean() {
        return down == null;
    }

    /** A call into the stores begins. */
    public void calling() {
        lastCall = System.nanoTime();
        if (waiting.getAndIncrement() == 0) {
            waitingSince = System.nanoTime();
        }
    }

    /** A call into the stores ended; {@code answered}: by an answer, so they are alive, however slow their checks. */
    public void called(boolean answered) {
        if (answered) {
            lastAnswer = System.nanoTime();
        }
        waiting.decrementAndGet();
    }

    /** {@code listener} runs (on the monitor's thread) each time a store goes down. */
    public void onOutage(Runnable listener) {
        outageListeners.add(listener);
    }

    /** The store that is down, or null. */
    public String down() {
        return down;
    }

    private void probe() {
        long started = System.nanoTime();
        boolean idle = down == null && waiting.get() == 0 && started - lastCall > idleAfterNanos;
        if (idle && started - lastProbe < idleIntervalNanos) {
            return;
        }
        lastProbe = started;
        try {
            String failingNow = null;
            for (String store : stores) {
                if (Status.DOWN.equals(status(registry.getContributor(store)))) {
                    failingNow = store;
                    break;
                }
            }
            long now = System.nanoTime();
            if (failingNow == null || !failingNow.equals(failing)) {
                failingSince = now;
            }
            failing = failingNow;
            boolean stuck = waiting.get() > 0 && now - Math.max(waitingSince, lastAnswer) >= confirmationNanos;
            String nowDown = down != null
                    ? (failing != null ? down : null)
                    : (failing != null && now - failingSince >= confirmationNanos && stuck ? failing : null);
            if (nowDown != null && down == null) {
                log.warn("Store {} is down: requests that need it answer 503 until it is back", nowDown);
            } else if (nowDown == null && down != null) {
                log.info("Store {} is back", down);
            }
            boolean wentDown = nowDown != null && down == null;
            down = nowDown;
            if (wentDown) {
                outageListeners.forEach(Runnable::run);
            }
        } catch (RuntimeException e) {
            log.debug("Store health probe failed", e);
        }
    }

    /** The store's status from its own check only (not a round of every indicator), or null if it has none. */
    private static Status status(HealthContributor contributor) {
        if (contributor instanceof HealthTimeLimitAutoConfiguration.SingleCheck single) {
            return single.checkAlone().getStatus();
        }
        return contributor instanceof HealthIndicator indicator ? indicator.health(false).getStatus() : null;
    }

    @Override
    public void close() {
        running = false;
        probes.shutdownNow();
    }
}
