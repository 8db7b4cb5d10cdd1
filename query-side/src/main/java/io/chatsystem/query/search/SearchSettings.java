package io.chatsystem.query.search;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Message search. Clients of the index always go through {@code alias}, so a rebuild can fill a new
 * index and swap the alias without downtime.
 */
@ConfigurationProperties("chat.search")
public record SearchSettings(
        @DefaultValue("http://127.0.0.1:9200") String uri,
        @DefaultValue("messages") String alias,
        @DefaultValue("0") int replicas,
        @DefaultValue("200") int maxQueryLength,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("100") int maxPageSize,
        /** Elasticsearch's result window: no page may reach past this many hits. */
        @DefaultValue("10000") int maxDepth,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout,
        /** A batch's bulk request goes out in parts of about this size (Elasticsearch refuses one over 100 MB). */
        @DefaultValue("8MB") DataSize maxBulkSize) {
}
