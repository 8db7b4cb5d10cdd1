package io.chatsystem.command.config;

import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

import io.chatsystem.api.application.RenameApplicationCommand;
import io.chatsystem.api.chat.CreateChatCommand;
import io.chatsystem.api.message.EditMessageCommand;
import io.chatsystem.axon.EventTables;
import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.consistency.ConsistencyTokens;
import io.chatsystem.command.consistency.StoredPositions;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStoreFactory;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration
public class AxonConfig {

    /** SQLSTATE class 23: a duplicate key, here on (aggregate, sequence); JDBC batches report it so too. */
    private static final String INTEGRITY_CONSTRAINT_VIOLATION = "23";

    /** Tuning of the write path; see application.yml. */
    @ConfigurationProperties("chat.command")
    public record CommandTuning(
            @DefaultValue("100000") long cachedAggregates,
            @DefaultValue("100") int chatSnapshotThreshold,
            @DefaultValue("100") int applicationSnapshotThreshold,
            @DefaultValue("10") int conflictRetries,
            @DefaultValue("20") long conflictRetryIntervalMillis,
            @DefaultValue("1000") int groupCommitMaxEvents,
            @DefaultValue("10s") java.time.Duration appendTimeout) {
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Spring's transactions for Axon (the event table's appends and reads, snapshots), failures kept; on
     * the plain JDBC transaction manager of {@link io.chatsystem.axon.DatabaseTransactionsAutoConfiguration}.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    static TransactionManager axonTransactionManager(PlatformTransactionManager platformTransactionManager) {
        return new FailureKeepingTransactions(new SpringTransactionManager(platformTransactionManager));
    }

    /**
     * The event table, its appends grouped ({@link GroupCommit}). Its connections come from the Spring
     * transaction of each append or read, never one held by a command's unit of work.
     */
    @Bean(destroyMethod = "shutDown")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    GroupCommit eventStorageEngine(Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                   PersistenceExceptionResolver persistenceExceptionResolver,
                                   org.axonframework.config.Configuration configuration, DataSource dataSource,
                                   TransactionManager transactionManager, CommandTuning tuning,
                                   StoredPositions positions, MeterRegistry meters) {
        return new GroupCommit(EventTables.storageEngine(serializer, eventSerializer, configuration,
                persistenceExceptionResolver, new SpringDataSourceConnectionProvider(dataSource), transactionManager,
                EventTables.AXON_FETCH_BATCH_SIZE),
                transactionManager, EventTables.globalIndex(new JdbcTemplate(dataSource)), positions::stored,
                tuning.groupCommitMaxEvents(), tuning.appendTimeout(), meters);
    }

    /**
     * Over Axon Server too, concurrent commands share an append transaction ({@link GroupCommit}): Axon's own
     * Axon Server event store opens one per command (a stream, its events, a commit and its answer), most of
     * what a message to one of many chats cost there. The appends go through that store, built as Axon's
     * auto-configuration builds it ({@link AxonServerAppends}); a write's position is Axon Server's head, read
     * after its answer ({@code ConsistencyTokens}), so the group reports none.
     */
    @Bean(destroyMethod = "shutDown")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    GroupCommit axonServerAppends(AxonServerEventStoreFactory axonServerEventStores, AxonServerConfiguration axonServer,
                                  CommandTuning tuning, MeterRegistry meters) {
        return new GroupCommit(new AxonServerAppends(axonServerEventStores.constructFor(axonServer.getContext())),
                NoTransactionManager.INSTANCE, identifier -> null, position -> { },
                tuning.groupCommitMaxEvents(), tuning.appendTimeout(), meters);
    }

    @Bean("eventStore")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    EmbeddedEventStore axonServerEventStore(GroupCommit appends) {
        return EmbeddedEventStore.builder().storageEngine(appends).build();
    }

    /** Where an aggregate's last event is in the event table: the position a write that stored nothing answers with. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    ConsistencyTokens.LastEvents lastEvents(DataSource dataSource) {
        return new ConsistencyTokens.LastEvents(EventTables.lastGlobalIndexOf(new JdbcTemplate(dataSource)));
    }

    /**
     * Commands run without a database transaction of their own: their appends are stored in the
     * transactions of the {@link GroupCommit}, and what they read takes a short one of its own. (A
     * transaction per command would hold a pooled connection while its append waits for its group:
     * enough waiting commands would hold every connection the group needs.) Otherwise as Axon's own.
     */
    @Bean
    @Qualifier("localSegment")
    static SimpleCommandBus commandBus(org.axonframework.config.Configuration configuration,
                                       DuplicateCommandHandlerResolver duplicateCommandHandlerResolver) {
        SimpleCommandBus commandBus = SimpleCommandBus.builder()
                .transactionManager(NoTransactionManager.INSTANCE)
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(configuration.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(configuration.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(configuration.correlationDataProviders()));
        return commandBus;
    }

    /**
     * Keeps loaded aggregates in memory, so a command does not read the chat's events again. A stale
     * entry (another instance wrote to the stream) fails the event store's sequence check; Axon
     * then evicts it and the command is retried on fresh state. Bounded by count: a chat aggregate
     * is a few dozen bytes.
     */
    @Bean(destroyMethod = "close")
    CacheManager aggregateCacheManager() {
        return CacheManagerBuilder.newCacheManagerBuilder().build(true);
    }

    @Bean
    Cache aggregateCache(CacheManager aggregateCacheManager, CommandTuning tuning) {
        var config = CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
                ResourcePoolsBuilder.heap(tuning.cachedAggregates()));
        return new EhCache3Adapter((Ehcache<?, ?>) aggregateCacheManager.createCache("aggregates", config.build()));
    }

    /**
     * Bounds the cost of loading a chat that is not cached (after a restart, on another instance).
     * What a load reads is counted ({@link LoadCountingSnapshotTrigger}).
     */
    @Bean
    SnapshotTriggerDefinition chatSnapshotTrigger(Snapshotter snapshotter, CommandTuning tuning,
                                                  MeterRegistry meters) {
        return new LoadCountingSnapshotTrigger(
                new EventCountSnapshotTriggerDefinition(snapshotter, tuning.chatSnapshotThreshold()), meters);
    }

    @Bean
    SnapshotTriggerDefinition applicationSnapshotTrigger(Snapshotter snapshotter, CommandTuning tuning,
                                                         MeterRegistry meters) {
        return new LoadCountingSnapshotTrigger(
                new EventCountSnapshotTriggerDefinition(snapshotter, tuning.applicationSnapshotThreshold()), meters);
    }

    /**
     * The API's commands are handled where they arrive, over Axon Server too: the gateways already send one
     * aggregate's writes to one command side, which is the routing Axon Server would do, so a trip through
     * it and back would only serialize each command and its answer twice more (most of a message's cost in
     * that mode). The handlers stay subscribed at Axon Server, for commands others send through it.
     * <p>
     * Two writers to one aggregate (two command sides behind a gateway whose instances changed, or a
     * stale cache) collide on the event store's sequence check. Such a command is retried on fresh
     * state; every other failure goes straight back to the sender.
     * {@code chat.command.conflict-retries: 0} sends every lost race straight back (as a 409).
     */
    @Bean
    CommandGateway commandGateway(@Qualifier("localSegment") CommandBus commandBus, CommandTuning tuning) {
        var gateway = DefaultCommandGateway.builder().commandBus(commandBus);
        if (tuning.conflictRetries() > 0) {
            gateway.retryScheduler(conflictRetryScheduler(tuning));
        }
        return gateway.build();
    }

    private static RetryScheduler conflictRetryScheduler(CommandTuning tuning) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("command-retry").daemon().factory());
        return ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .maxRetryCount(tuning.conflictRetries())
                .backoffFactor(tuning.conflictRetryIntervalMillis())
                // Axon tests the failure and each of its causes: a conflict arrives as a ConcurrencyException
                // caused by the store's duplicate-key error, so each of those must count as a lost race
                .nonTransientFailurePredicate(failure -> !isLostRace(failure))
                .build();
    }

    /** A command for an aggregate that does not exist is a "not found", told the same way as other refusals. */
    @Autowired
    void translateMissingAggregates(CommandBus commandBus) {
        MessageHandlerInterceptor<CommandMessage<?>> interceptor = (unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (AggregateNotFoundException e) {
                throw CommandRejected.notFound(describeMissing(unitOfWork.getMessage().getPayload()));
            }
        };
        commandBus.registerHandlerInterceptor(interceptor);
    }

    private static String describeMissing(Object command) {
        return switch (command) {
            case EditMessageCommand edit -> "chat " + edit.chatNumber() + " has no message " + edit.messageNumber();
            case RenameApplicationCommand rename -> "no application with token " + rename.token();
            case CreateChatCommand create -> "no application with token " + create.applicationToken();
            default -> "not found";
        };
    }

    /**
     * A lost race on an aggregate's stream: a ConcurrencyException, or, when two writers both create
     * a chat's stream, an AggregateStreamCreationException (raised at once by the JDBC engine's
     * append), each caused by the store's duplicate-key error (perhaps wrapped by Axon's JDBC layer).
     * Any other failure of the store (unreachable, timed out) is not retried: it goes back at once.
     */
    private static boolean isLostRace(Throwable failure) {
        return failure instanceof ConcurrencyException
                || failure instanceof AggregateStreamCreationException
                || failure instanceof JdbcException
                || failure instanceof SQLException sql && sql.getSQLState() != null
                && sql.getSQLState().startsWith(INTEGRITY_CONSTRAINT_VIOLATION);
    }

    /**
     * Snapshots are taken off the command thread: taken inline, the snapshot would wait for a
     * database connection while the aggregate's lock is still held by the command that triggered it.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .executor(Executors.newSingleThreadExecutor(Thread.ofPlatform().name("snapshotter").daemon().factory()))
                .build();
    }
}
