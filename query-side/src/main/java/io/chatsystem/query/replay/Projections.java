package io.chatsystem.query.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.chatsystem.query.replay.ProjectionVersions.State;
import io.chatsystem.query.replay.ProjectionVersions.Version;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read models' versions and their processors: blue/green rebuilds, however many query-side
 * instances run. The versions are rows of {@code projection_versions}; every instance follows them:
 * <ul>
 * <li>it runs a processor for each live and each building version (one built afresh per version, never
 * stopped and started again: a version's processor ends only when the version is retired);</li>
 * <li>a rebuild adds a building version: its store is made empty and its processor reads from the first
 * event while the live version keeps serving and being updated;</li>
 * <li>once a building version has caught up with the live one, whichever instance sees it first switches
 * readers over, in lock-step: it holds the live processor's token rows (so no instance commits a batch of
 * it meanwhile), waits until the new version has processed everything the live one has, publishes the
 * new version (readers of every instance switch at once) and retires the old one;</li>
 * <li>a retired version's processors end on every instance; once none holds a segment of it, its store,
 * tokens and row are dropped.</li>
 * </ul>
 * Readers never see less than before a rebuild: until the switch they read the live version, and after
 * it a version that has processed at least as much.
 */
@Service
public class Projections implements SmartLifecycle {

    /**
     * {@code followInterval}: how often an instance looks at the versions (the longest before it takes part
     * in a rebuild asked of another instance); {@code switchTimeout}: how long a switch holds the live
     * version's processors while the new version processes the last events (tried again later past it);
     * {@code gapGrace}: how long, once past the live version's position, the new version is given to fill
     * the gaps the live one does not have ({@link #switchTo}).
     */
    @ConfigurationProperties("chat.replays")
    public record Settings(@DefaultValue("1s") Duration followInterval, @DefaultValue("5s") Duration switchTimeout,
                           @DefaultValue("1s") Duration gapGrace, @DefaultValue("10s") Duration stopTimeout) {
    }

    private static final Logger log = LoggerFactory.getLogger(Projections.class);
    private static final Duration SWITCH_POLL = Duration.ofMillis(10);
    /** The key of the head of the stream among segments: no segment's. */
    private static final int HEAD = -1;

    private final Map<String, ReadModel> models = new HashMap<>();
    private final ProjectionVersions versions;
    private final ProjectionTokens tokens;
    private final ProjectionProcessors processors;
    private final StreamableMessageSource<?> events;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separateTransaction;
    private final Settings settings;
    private final Duration claimTimeout;
    /** The processors this instance runs, by processor name. */
    private final Map<String, TrackingEventProcessor> running = new ConcurrentHashMap<>();
    /** Processors whose start failed, told once until they start. */
    private final Set<String> notStarted = ConcurrentHashMap.newKeySet();
    /** The live version of each projection, as this instance last saw it. */
    private final Map<String, Integer> live = new ConcurrentHashMap<>();
    private final ReentrantLock following = new ReentrantLock();
    private volatile boolean started;
    private boolean failing;

    Projections(List<ReadModel> models, ProjectionVersions versions, ProjectionTokens tokens,
                ProjectionProcessors processors, EventStore events,
                PlatformTransactionManager transactions, Settings settings, TokenClaims claims) {
        models.forEach(model -> this.models.put(model.name(), model));
        this.versions = versions;
        this.tokens = tokens;
        this.processors = processors;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = settings;
        this.claimTimeout = claims.timeout();
    }

    /** The projections' names, in order. */
    public List<String> names() {
        return models.keySet().stream().sorted().toList();
    }

    /** The processor of the projection's live version, as this instance knows it; null before it knows. */
    public String liveProcessor(String projection) {
        Integer version = live.get(projection);
        return version == null ? null : ReadModel.processorName(projection, version);
    }

    /** The projection's live version, as this instance knows it; null before it knows. */
    public Integer liveVersion(String projection) {
        return live.get(projection);
    }

    /** The processor of a version if it runs on this instance. */
    public Optional<TrackingEventProcessor> runningHere(String processor) {
        return Optional.ofNullable(running.get(processor));
    }

    Map<String, TrackingEventProcessor> runningHere() {
        return Map.copyOf(running);
    }

    /**
     * Starts a rebuild of each projection named that is not being rebuilt already: a new version beside the
     * live one. Refused ({@link ReplayAlreadyRunningException}) when every one of them is; rebuilds asked of
     * several instances at once are decided one after the other (the versions' rows are locked).
     */
    public void rebuild(List<String> projections) {
        addBuilding(projections);
        follow();
    }

    /**
     * Records the new versions; their stores are made by whichever instance starts their processors
     * ({@link #start(Version)}: making a store that is there does nothing), so none is dropped under a
     * processor writing to it.
     */
    private void addBuilding(List<String> projections) {
        List<Version> added = transaction.execute(status -> {
            List<String> building = versions.lockBuilding(projections);
            List<Version> versionsAdded = new ArrayList<>();
            for (String projection : projections) {
                int version = versions.next(projection);
                // a projection without versions yet gets its first at start-up, live (not a rebuild of nothing)
                if (!building.contains(projection) && versions.exists(projection)
                        && versions.add(projection, version, State.BUILDING)) {
                    versionsAdded.add(new Version(projection, version, State.BUILDING, Instant.now()));
                }
            }
            return versionsAdded;
        });
        if (added == null || added.isEmpty()) {
            throw new ReplayAlreadyRunningException(String.join(", ", projections));
        }
        for (Version version : added) {
            log.info("Projection {}: rebuilding it as version {} from the first event; readers read version {} "
                    + "until it has caught up", version.projection(), version.version(), live.get(version.projection()));
        }
    }

    @Override
    public void start() {
        started = true;
        follow();
    }

    /** The processors end with the application, before its database connections do. */
    @Override
    public void stop() {
        following.lock();
        try {
            started = false;
        } finally {
            following.unlock();
        }
        List<CompletableFuture<Void>> stops = running.values().stream().map(TrackingEventProcessor::shutdownAsync).toList();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Projections did not stop within {}: {}", settings.stopTimeout(), e.toString());
        }
        running.clear();
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** After Axon's configuration (the event store the processors read) has started. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2 + 1;
    }

    @Scheduled(fixedDelayString = "${chat.replays.follow-interval:1s}", initialDelayString = "${chat.replays.follow-interval:1s}")
    void followScheduled() {
        if (started && following.tryLock()) {
            try {
                followLocked();
            } finally {
                following.unlock();
            }
        }
    }

    /**
     * Brings this instance in line with the versions: one pass at a time (a lock, not a monitor: a pass may
     * wait seconds for a switch, and must not pin a virtual thread's carrier meanwhile).
     */
    void follow() {
        following.lock();
        try {
            followLocked();
        } finally {
            following.unlock();
        }
    }

    private void followLocked() {
        List<Version> read;
        try {
            read = versions.all();
            if (addFirstVersions(read)) {
                read = versions.all();
            }
            if (failing) {
                log.info("Projection versions are readable again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot read the projection versions ({}); trying again every {}", e.getMessage(),
                        settings.followInterval());
                failing = true;
            }
            return;
        }
        List<Version> all = read;
        for (Version version : all) {
            if (version.state() == State.LIVE) {
                live.put(version.projection(), version.version());
            }
        }
        for (Version version : all) {
            if (version.state() != State.RETIRED && started && models.containsKey(version.projection())) {
                try {
                    running.computeIfAbsent(version.processor(), name -> start(version));
                    notStarted.remove(version.processor());
                } catch (RuntimeException e) {
                    // its store is down, most likely (its health says so): one line until it starts
                    if (notStarted.add(version.processor())) {
                        log.warn("Processor {} could not be started ({}); trying again every {}", version.processor(),
                                e.toString(), settings.followInterval());
                    }
                }
            }
        }
        running.keySet().removeIf(name -> {
            boolean current = all.stream().anyMatch(v -> v.processor().equals(name) && v.state() != State.RETIRED);
            if (!current) {
                retire(name);
            }
            return !current;
        });
        for (ReadModel model : models.values()) {
            try {
                advance(model, all.stream().filter(v -> v.projection().equals(model.name())).toList());
            } catch (RuntimeException e) {
                log.debug("Projection {}: its versions could not be advanced now; trying again", model.name(), e);
            }
        }
    }

    /** A building version's store is made first if the instance that asked for it has not made it yet. */
    private TrackingEventProcessor start(Version version) {
        ReadModel model = models.get(version.projection());
        if (version.state() == State.BUILDING) {
            model.create(version.version());
        }
        TrackingEventProcessor processor = processors.build(model, version.version());
        processor.start();
        return processor;
    }

    /** Axon's shutdown: the processor releases its segments and ends; it is never started again. */
    private void retire(String processor) {
        TrackingEventProcessor retired = running.get(processor);
        retired.shutdownAsync().whenComplete((done, failure) ->
                log.info("Processor {} ended: its version was retired", processor));
    }

    /** A projection that has no version yet gets its first: published at once unless readers have something already. */
    private boolean addFirstVersions(List<Version> all) {
        boolean added = false;
        for (ReadModel model : models.values()) {
            if (all.stream().noneMatch(v -> v.projection().equals(model.name()))) {
                try {
                    boolean beside = model.published();
                    model.create(1);
                    if (!beside) {
                        model.publish(1);
                    }
                    added |= versions.add(model.name(), 1, beside ? State.BUILDING : State.LIVE);
                } catch (RuntimeException e) {
                    log.debug("Projection {}: its first version could not be made now; trying again", model.name(), e);
                }
            }
        }
        return added;
    }

    /** Starts what the projection's versions call for next: a rebuild, a switch, a drop. */
    private void advance(ReadModel model, List<Version> all) {
        Version current = all.stream().filter(v -> v.state() == State.LIVE).findFirst().orElse(null);
        Version building = all.stream().filter(v -> v.state() == State.BUILDING).findFirst().orElse(null);
        if (building == null && current != null && model.needsRebuild(current.version())) {
            log.info("Projection {}: the store of version {} was lost or made by an earlier version", model.name(),
                    current.version());
            try {
                addBuilding(List.of(model.name()));
            } catch (ReplayAlreadyRunningException e) {
                // another instance asked for it first
            }
            return;
        }
        if (building != null && caughtUp(building, current)) {
            switchTo(model, building, current);
        }
        for (Version retired : all) {
            if (retired.state() == State.RETIRED && unheld(retired)) {
                model.drop(retired.version());
                versions.tombstoneTokens(retired.processor());
                versions.remove(model.name(), retired.version());
                log.info("Projection {}: dropped retired version {}", model.name(), retired.version());
            }
        }
    }

    /** Whether the building version has reached the live one's position (or, with none, the stream's head). */
    private boolean caughtUp(Version building, Version current) {
        Map<Integer, TrackingToken> target = current == null ? headToken() : positions(tokens.of(current.processor()));
        return covers(positions(tokens.of(building.processor())), target, false);
    }

    /**
     * Publishes the building version in lock-step with the live one's processors: their token rows are held
     * (a batch commits its token with its writes, so none commits meanwhile) until the building version has
     * processed everything the live one has, then readers switch. The publication runs on a connection of
     * its own (DDL ends the transaction it runs in).
     *
     * <p>On the event table a token also lists the gaps below its position: ids of appends not committed
     * when it passed them. A gap the new version has and the live one has not is either an event the live
     * version processed, which the new one reads within moments, or an id whose append rolled back, which
     * the live version stopped waiting for long ago ({@code EventTables}' gap timeout) and the new one waits
     * for until the same timeout. Past its position, the new version is given {@code gapGrace} to fill them;
     * what is left then is taken for rolled back.
     */
    private void switchTo(ReadModel model, Version building, Version current) {
        Boolean switched = transaction.execute(status -> {
            // every row of the projection, in the order a rebuild request locks them: no deadlock with one
            if (!versions.lockBuilding(List.of(model.name())).contains(model.name())
                    || !versions.lock(model.name(), building.version(), State.BUILDING)) {
                return false;
            }
            Map<Integer, TrackingToken> held = current == null ? headToken()
                    : positions(tokens.lockSegments(current.processor()));
            long deadline = System.nanoTime() + settings.switchTimeout().toNanos();
            Long gapsGivenUntil = null;
            while (true) {
                Map<Integer, TrackingToken> rebuilt = positions(tokens.of(building.processor()));
                if (covers(rebuilt, held, true)) {
                    break;
                }
                long now = System.nanoTime();
                if (covers(rebuilt, held, false)) {
                    if (gapsGivenUntil == null) {
                        gapsGivenUntil = now + settings.gapGrace().toNanos();
                    } else if (now - gapsGivenUntil > 0) {
                        break;
                    }
                }
                if (now - deadline > 0) {
                    status.setRollbackOnly();
                    return false;
                }
                sleep(SWITCH_POLL);
            }
            separateTransaction.executeWithoutResult(publication -> model.publish(building.version()));
            // reads that wait for a write look at the new version from now on: the old one stays frozen until
            // this transaction ends, so nothing it processes is missing from the new one meanwhile
            live.put(model.name(), building.version());
            versions.changeState(model.name(), building.version(), State.LIVE);
            if (current != null) {
                versions.changeState(model.name(), current.version(), State.RETIRED);
            }
            return true;
        });
        if (Boolean.TRUE.equals(switched)) {
            live.put(model.name(), building.version());
            log.info("Projection {}: version {} has caught up and now answers reads{}", model.name(),
                    building.version(), current == null ? "" : "; version " + current.version() + " is retired");
        }
    }

    /** Whether no instance has held a segment of the retired version for a claim timeout (its processors have ended). */
    private boolean unheld(Version retired) {
        Instant since = Instant.now().minus(claimTimeout);
        return retired.since().isBefore(since)
                && tokens.of(retired.processor()).stream().allMatch(segment -> segment.owner() == null);
    }

    /** The head of the event stream, as a global index; null while it is empty. */
    Long headPosition() {
        TrackingToken head = events.createHeadToken();
        return head == null ? null : head.position().stream().boxed().findFirst().orElse(null);
    }

    /** The head of the stream, as the one segment of a version that has processed everything there is. */
    private Map<Integer, TrackingToken> headToken() {
        TrackingToken head = events.createHeadToken();
        return head == null ? Map.of() : Map.of(HEAD, head);
    }

    private static Map<Integer, TrackingToken> positions(List<ProjectionTokens.SegmentToken> segments) {
        Map<Integer, TrackingToken> positions = new HashMap<>();
        segments.forEach(segment -> positions.put(segment.segment(), segment.token()));
        return positions;
    }

    /**
     * Whether one version has processed everything the other has, by the tokens of their segments. Two
     * versions cut into the same segments handle the same events in each: segment by segment, each must
     * have seen every event the other's has. Cut otherwise, every segment of one must have seen every event
     * any segment of the other has. With {@code gaps} false, only whether each is at or past the other's
     * position (see {@link #switchTo}). Nothing to cover (an empty stream) is covered by any token; a version
     * without segments yet covers nothing.
     */
    static boolean covers(Map<Integer, TrackingToken> segments, Map<Integer, TrackingToken> target, boolean gaps) {
        if (segments.isEmpty()) {
            return false;
        }
        boolean sameSegments = segments.keySet().equals(target.keySet());
        for (Map.Entry<Integer, TrackingToken> segment : segments.entrySet()) {
            List<TrackingToken> others = sameSegments ? Collections.singletonList(target.get(segment.getKey()))
                    : new ArrayList<>(target.values());
            if (!covers(segment.getValue(), others, gaps)) {
                return false;
            }
        }
        return true;
    }

    private static boolean covers(TrackingToken segment, List<TrackingToken> others, boolean gaps) {
        if (segment == null) {
            // at the tail still: covers only what has processed nothing either
            return others.stream().noneMatch(Objects::nonNull);
        }
        TrackingToken position = WrappedToken.unwrapLowerBound(segment);
        for (TrackingToken other : others) {
            if (other == null) {
                continue;
            }
            TrackingToken reached = WrappedToken.unwrapUpperBound(other);
            boolean covered = gaps ? position.covers(reached)
                    : position.position().orElse(-1) >= reached.position().orElse(Long.MAX_VALUE);
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
