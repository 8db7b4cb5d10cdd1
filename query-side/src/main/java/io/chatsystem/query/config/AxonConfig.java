package io.chatsystem.query.config;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.chatsystem.axon.EventStoreHealthIndicator;
import io.chatsystem.axon.EventTables;
import io.chatsystem.query.consistency.ConsistentReads;
import io.chatsystem.query.message.MessageFeed;
import io.chatsystem.query.instances.QuerySideInstances;
import io.chatsystem.query.replay.TokenClaims;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStoreFactory;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The query side talks to its database through Axon's JDBC event storage engine ({@link EventTables})
 * and token store, not the JPA ones: both send plain SQL, where the JPA ones had Hibernate translate
 * a query for every token update and every fetch (over half of the query side's CPU under load).
 * They run on the same tables and rows the JPA ones wrote, in the transaction of the projection's
 * own writes.
 */
@Configuration
public class AxonConfig {

    @ConfigurationProperties("chat.events")
    public record EventStreamTuning(@DefaultValue("10ms") Duration fetchDelay, @DefaultValue("1000") int cachedEvents,
                                    @DefaultValue("" + EventTables.AXON_FETCH_BATCH_SIZE) int fetchBatchSize,
                                    @DefaultValue("8") int sharedPages,
                                    @DefaultValue("1s") Duration axonServerRetryDelay,
                                    @DefaultValue("10s") Duration axonServerEventTimeout,
                                    @DefaultValue("1s") Duration idleAfter, @DefaultValue("250ms") Duration idleFetchDelay) {
    }

    /**
     * A projection that cannot write must not move past the event: the failure goes to the
     * processor, which rolls the batch back and retries it with back-off, instead of being logged
     * and skipped (Axon's default).
     */
    @Autowired
    void propagateHandlerFailures(EventProcessingConfigurer processing) {
        processing.registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    /**
     * The live streams' feed ({@link MessageFeed}): every instance its own copy over every event, from
     * the head of the stream at start-up, its token in memory (nothing of it is shared or replayed), no
     * database transaction (it writes nothing).
     */
    @Autowired
    void registerMessageFeed(EventProcessingConfigurer processing) {
        processing.registerTrackingEventProcessor(MessageFeed.NAME, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken))
                .registerTokenStore(MessageFeed.NAME, c -> new InMemoryTokenStore())
                .registerTransactionManager(MessageFeed.NAME, c -> NoTransactionManager.instance());
    }

    /** Spring's transactions for Axon, but none around a query handler ({@link QueriesWithoutTransaction}). */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager platformTransactionManager) {
        return new QueriesWithoutTransaction(new SpringTransactionManager(platformTransactionManager));
    }

    /**
     * Connections of the current Spring transaction, so a token moves with the batch it belongs to; the event
     * table's reads, outside any, take one of their own.
     */
    @Bean
    static ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return EventTables.connectionProvider(dataSource);
    }

    /**
     * The tracking tokens, in the {@code token_entry} table (its columns named as Flyway made them).
     * Claims carry this instance's name, the one it is known by among the instances sharing the segments.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider axonConnectionProvider, Serializer serializer,
                          QuerySideInstances instances, TokenClaims claims) {
        return JdbcTokenStore.builder()
                .connectionProvider(axonConnectionProvider)
                .serializer(serializer)
                .nodeId(instances.nodeId())
                .claimTimeout(claims.timeout())
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /**
     * The command side's event table, only read here: each fetch is a single statement in auto-commit
     * instead of one wrapped in a transaction (auto-commit off, the query, commit, auto-commit on).
     * With no events coming the stream is fetched {@code 1 / chat.events.fetch-delay} times a second,
     * and at low rates twice per event: the wrapping was most of the statements the polling sent.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    static AwaitedEventTable eventStorageEngine(Serializer serializer,
                                                @Qualifier("eventSerializer") Serializer eventSerializer,
                                                PersistenceExceptionResolver persistenceExceptionResolver,
                                                org.axonframework.config.Configuration configuration,
                                                ConnectionProvider axonConnectionProvider, EventStreamTuning tuning,
                                                DataSource dataSource) {
        return new AwaitedEventTable(EventTables.storageEngine(serializer, eventSerializer, configuration,
                persistenceExceptionResolver, axonConnectionProvider, NoTransactionManager.instance(),
                tuning.fetchBatchSize()), dataSource);
    }

    /** The event store's health, DOWN while the command side has not created the event table yet. */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    HealthIndicator eventStoreHealthIndicator(EventStore eventStore, AwaitedEventTable table) {
        EventStoreHealthIndicator store = new EventStoreHealthIndicator(eventStore);
        return () -> table.present() ? store.health(true)
                : Health.down().withDetail("error", "the event table is not there yet (the command side creates it)").build();
    }

    /**
     * Without Axon Server the query side streams the command side's event table (the storage engine
     * comes from axon-support's {@link EventTables}). Axon polls it every second by default when idle
     * (no property for it); poll often, the query is an index range scan. Its read-ahead cache is kept
     * small ({@code chat.events.cached-events}): every cached event holds a token with the table's gaps.
     * Behind the cache, processors share what they read ({@link SharedCatchUpReads}); with nothing written,
     * it is read less often ({@link IdleReads}).
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, IdleReads idleReads,
                                  EventStreamTuning tuning) {
        return EmbeddedEventStore.builder()
                .storageEngine(idleReads.around(new SharedCatchUpReads(storageEngine, tuning.fetchBatchSize(), tuning.sharedPages())))
                .fetchDelay(tuning.fetchDelay().toMillis())
                .cachedEvents(tuning.cachedEvents())
                .build();
    }

    /** The event table read less often while nothing is written ({@code chat.events.idle-*}). */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    IdleReads idleReads(EventStreamTuning tuning) {
        return new IdleReads(tuning.idleAfter(), tuning.idleFetchDelay());
    }

    /**
     * With Axon Server the processors share one of its event streams ({@link AxonServerReads}), in place of
     * the stream per processor and segment that Axon's own Axon Server event store would give them. The
     * shared stream waits for events on its own; when it fails (Axon Server away) it is opened again
     * after {@code chat.events.axon-server-retry-delay}. (Named as the processors' {@code source} names it.)
     */
    @Bean("eventStore")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    EmbeddedEventStore axonServerEventStore(AxonServerEventStoreFactory axonServerEventStores,
                                            AxonServerConfiguration axonServer, EventStreamTuning tuning) {
        // Axon's own Axon Server event store, as its auto-configuration would build it for this context
        AxonServerEventStore server = axonServerEventStores.constructFor(axonServer.getContext());
        return EmbeddedEventStore.builder()
                .storageEngine(new AxonServerReads(server, tuning.axonServerEventTimeout()))
                .fetchDelay(tuning.axonServerRetryDelay().toMillis())
                .cachedEvents(tuning.cachedEvents())
                .build();
    }
}
