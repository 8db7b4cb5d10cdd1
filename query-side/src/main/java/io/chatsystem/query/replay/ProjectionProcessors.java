package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.chatsystem.query.config.Linger;
import io.chatsystem.query.consistency.ConsistencyFilter;
import io.chatsystem.query.consistency.ConsistentReads;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Builds the processor of a read model's version with Axon's own builder, from the components Axon's
 * configuration would give it (token store, transaction manager, parameter resolvers, monitors).
 * Axon's configuration fixes its processors at start-up; a rebuild needs one with a new name while the
 * application runs (docs/decisions/0008).
 */
@Component
class ProjectionProcessors {

    /**
     * {@code batchSize}: events handled in one transaction when they are waiting (a processor near the head
     * takes what has arrived; one behind, rebuilding or catching up, takes this many). {@code segments}: of
     * each projection, shared by the query-side instances (each instance has a thread per segment, so one
     * alone runs them all), unless {@code segmentsByProjection} says otherwise. {@code tokenClaimInterval}:
     * how often an instance with a free thread looks for an unclaimed segment. {@code linger}: by projection,
     * how long it pauses after a batch that did not fill ({@link Linger}).
     */
    @ConfigurationProperties("chat.projections")
    record Settings(@DefaultValue("1000") int batchSize, @DefaultValue("1") int segments,
                    Map<String, Integer> segmentsByProjection, @DefaultValue("1s") Duration tokenClaimInterval,
                    Map<String, Duration> linger) {

        Settings {
            segmentsByProjection = segmentsByProjection == null ? Map.of() : Map.copyOf(segmentsByProjection);
            linger = linger == null ? Map.of() : Map.copyOf(linger);
        }

        int segments(String projection) {
            return segmentsByProjection.getOrDefault(projection, segments);
        }
    }

    private final Configuration axon;
    private final EventStore events;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final ObjectProvider<ConsistentReads> reads;
    private final Settings settings;
    /**
     * How long a segment with no events waits for one before it renews its claim (Axon's event availability
     * timeout, 1 s by default: a locking SELECT and an UPDATE of every idle segment's claim each second).
     * Events are handled as soon as they come; a processor being shut down may take this long to end.
     */
    private final Duration idleClaimRenewal;
    /** Claims renewed this many times within a claim timeout: one late renewal does not lose the segment. */
    private static final int CLAIM_RENEWALS_PER_TIMEOUT = 3;

    ProjectionProcessors(Configuration axon, EventStore events, TokenStore tokenStore,
                         TransactionManager axonTransactionManager, ObjectProvider<ConsistentReads> reads, Settings settings,
                         List<ReadModel> models, TokenClaims claims) {
        this.axon = axon;
        this.events = events;
        this.tokenStore = tokenStore;
        this.transactions = axonTransactionManager;
        this.reads = reads;
        this.settings = settings;
        this.idleClaimRenewal = claims.timeout().dividedBy(CLAIM_RENEWALS_PER_TIMEOUT);
        Set<String> names = new HashSet<>(models.stream().map(ReadModel::name).toList());
        check(names, settings.linger().keySet(), "chat.projections.linger");
        check(names, settings.segmentsByProjection().keySet(), "chat.projections.segments-by-projection");
        check(names, ConsistencyFilter.projectionsNamed(), "reads waiting for a write");
    }

    private static void check(Set<String> projections, Set<String> named, String where) {
        Set<String> unknown = new HashSet<>(named);
        unknown.removeAll(projections);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(where + " names " + unknown + ", which is no projection " + projections);
        }
    }

    /** The processor of a version, not started. */
    TrackingEventProcessor build(ReadModel model, int version) {
        String name = ReadModel.processorName(model.name(), version);
        Object handlers = model.handlers(version);
        int segments = settings.segments(model.name());
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(handlers)
                        .parameterResolverFactory(axon.parameterResolverFactory())
                        .handlerDefinition(axon.handlerDefinition(handlers.getClass()))
                        // a projection that cannot write must not move past the event: the batch is rolled
                        // back and retried with back-off instead of the failure being logged and skipped
                        .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                        .sequencingPolicy(SequentialPerAggregatePolicy.instance())
                        .build())
                .messageSource(events)
                .tokenStore(tokenStore)
                .transactionManager(transactions)
                .messageMonitor(axon.messageMonitor(TrackingEventProcessor.class, name))
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration
                        .forParallelProcessing(segments)
                        .andInitialSegmentsCount(segments)
                        .andBatchSize(settings.batchSize())
                        .andTokenClaimInterval(settings.tokenClaimInterval().toMillis(), TimeUnit.MILLISECONDS)
                        .andEventAvailabilityTimeout(idleClaimRenewal.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        processor.registerHandlerInterceptor(wakeWaitingReads());
        Duration linger = settings.linger().get(model.name());
        if (linger != null) {
            // readers of these projections wait anyway; a read that waits for a write cuts the pause short
            processor.registerHandlerInterceptor(new Linger(linger, settings.batchSize(), reads.getObject()::pause));
        }
        return processor;
    }

    /** Once a batch has committed, the reads waiting for a write look at once rather than at their next poll. */
    private MessageHandlerInterceptor<EventMessage<?>> wakeWaitingReads() {
        ConsistentReads waiting = reads.getObject();
        return (unitOfWork, chain) -> {
            var batch = unitOfWork.root();
            batch.getOrComputeResource(WAKE_REGISTERED, key -> {
                batch.afterCommit(committed -> waiting.committed());
                return Boolean.TRUE;
            });
            return chain.proceed();
        };
    }

    private static final String WAKE_REGISTERED = ProjectionProcessors.class.getName() + ".wake";
}
