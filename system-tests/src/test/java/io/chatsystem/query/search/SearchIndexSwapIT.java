package io.chatsystem.query.search;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.query.search.SearchIndex.Aliases;
import io.chatsystem.system.Parallel;
import io.chatsystem.system.SharedStack;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterEach;
import org.springframework.util.unit.DataSize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The query side's search index against a real Elasticsearch, with several instances of it sharing
 * one index as several query sides do: whatever order their alias changes land in, searches always
 * read a complete index and none is dropped while it serves.
 */
class SearchIndexSwapIT {

    private static final String TOKEN = "swap-token";
    private static final PageSpec FIRST_PAGE = new PageSpec(1, 20);

    private Rest5Client rest;
    private ElasticsearchClient client;
    private String alias;

    @BeforeEach
    void connect() {
        URI uri = URI.create(SharedStack.elasticsearchUrl());
        rest = Rest5Client.builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort())).build();
        client = new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));
        alias = "swap-" + System.nanoTime();
    }

    @AfterEach
    void cleanUp() throws IOException {
        deleteIndices();
        rest.close();
    }

    @Test
    void anInstanceThatSawTheAliasesBeforeAnotherSwappedThemChangesNothing() throws IOException {
        SearchIndex first = instance();
        SearchIndex second = instance();
        first.ensureExists();
        send(first, 1, 1, "hello one");
        first.startRebuild();
        send(first, 1, 1, "hello one");
        send(first, 1, 2, "hello two");
        Aliases seen = second.aliases();
        assertThat(seen.rebuilding()).isTrue();

        first.completeRebuild();

        assertThat(second.swap(seen)).isFalse();
        assertThat(second.aliases()).isEqualTo(new Aliases(seen.write(), seen.write()));
        assertThat(numbers(second.search(TOKEN, 1, "hello", FIRST_PAGE, 0))).containsExactly(1, 2);
    }

    @Test
    void instancesSwappingAtOnceLeaveTheRebuiltIndexServing() throws Exception {
        List<SearchIndex> instances = List.of(instance(), instance(), instance());
        instances.getFirst().ensureExists();
        for (int round = 1; round <= 3; round++) {
            instances.getFirst().startRebuild();
            send(instances.getFirst(), round, 1, "round " + round);
            Aliases rebuilding = instances.getFirst().aliases();

            Parallel.run(instances.size(), instances.size(), i -> {
                instances.get(i).completeRebuild();
                return null;
            });

            assertThat(instances.getLast().aliases()).isEqualTo(new Aliases(rebuilding.write(), rebuilding.write()));
            assertThat(numbers(instances.getLast().search(TOKEN, round, "round", FIRST_PAGE, 0))).containsExactly(1);
        }
        assertThat(indices()).hasSize(1);
    }

    @Test
    void aReplayThatSawTheAliasesBeforeASwapLeavesTheServingIndexAlone() throws IOException {
        SearchIndex first = instance();
        SearchIndex second = instance();
        first.ensureExists();
        first.startRebuild();
        send(first, 1, 1, "kept");
        Aliases seen = second.aliases();
        first.completeRebuild();
        String next = alias + "-next";
        client.indices().create(c -> c.index(next));

        assertThat(second.moveWriteAlias(seen, next)).isFalse();

        assertThat(second.aliases()).isEqualTo(new Aliases(seen.write(), seen.write()));
        assertThat(numbers(second.search(TOKEN, 1, "kept", FIRST_PAGE, 0))).containsExactly(1);
    }

    @Test
    void aReplayStartedWhileAnotherIsPendingDropsOnlyTheAbandonedIndex() throws IOException {
        SearchIndex index = instance();
        index.ensureExists();
        String serving = index.aliases().read();
        index.startRebuild();
        String abandoned = index.aliases().write();

        index.startRebuild();

        Aliases now = index.aliases();
        assertThat(now.read()).isEqualTo(serving);
        assertThat(now.write()).isNotIn(serving, abandoned);
        assertThat(indices()).containsExactlyInAnyOrder(serving, now.write());
    }

    @Test
    void instancesStartingSideBySideShareOneIndex() throws Exception {
        List<SearchIndex> instances = List.of(instance(), instance(), instance(), instance());

        Parallel.run(instances.size(), instances.size(), i -> {
            instances.get(i).ensureExists();
            return null;
        });

        assertThat(indices()).hasSize(1);
        String only = indices().getFirst();
        assertThat(instances.getLast().aliases()).isEqualTo(new Aliases(only, only));
    }

    @Test
    void aDeletedIndexIsUnavailableOnceAndThenReplacedByAnEmptyOne() throws IOException {
        SearchIndex index = instance();
        index.ensureExists();
        send(index, 1, 1, "gone");
        deleteIndices();

        assertThatThrownBy(() -> index.search(TOKEN, 1, "gone", FIRST_PAGE, 0))
                .isInstanceOfSatisfying(ElasticsearchException.class,
                        e -> assertThat(SearchIndex.isUnavailable(e)).isTrue());

        assertThat(index.search(TOKEN, 1, "gone", FIRST_PAGE, 0)).isEmpty();
        send(index, 2, 1, "back");
        assertThat(numbers(index.search(TOKEN, 2, "back", FIRST_PAGE, 0))).containsExactly(1);
    }

    @Test
    void anIndexOfTheEarlierMappingServesSearchesButTakesNoWritesUntilItsRebuild() throws IOException {
        // as version 1 made it: fragments as keyword values, no mapping version
        client.indices().create(c -> c.index(alias + "-0")
                .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                .mappings(m -> m.withJson(new StringReader("""
                        {"dynamic": "strict", "_source": {"excludes": ["fragments"]}, "properties": {
                          "application_token": {"type": "keyword"}, "chat_number": {"type": "integer"},
                          "number": {"type": "integer"}, "body": {"type": "text", "analyzer": "standard"},
                          "fragments": {"type": "keyword", "doc_values": false},
                          "created_at": {"type": "date"}, "updated_at": {"type": "date"}}}""")))
                .aliases(alias, a -> a).aliases(alias + "-write", a -> a));
        client.index(i -> i.index(alias + "-0").id(TOKEN + ":1:1").refresh(Refresh.True).withJson(new StringReader("""
                {"application_token": "%s", "chat_number": 1, "number": 1, "body": "hello old",
                 "fragments": ["hello", "ello", "llo", "lo", "o", "old", "ld", "d"],
                 "created_at": "2026-01-01T00:00:00Z"}""".formatted(TOKEN))));
        SearchIndex index = instance();
        index.ensureExists();

        assertThat(index.outdated()).isTrue();
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1);
        assertThatThrownBy(() -> send(index, 1, 2, "hello new")).isInstanceOf(IOException.class)
                .hasMessageContaining("earlier version");

        index.startRebuild();
        assertThat(index.outdated()).isFalse();
        send(index, 1, 1, "hello old");
        send(index, 1, 2, "hello new");
        index.completeRebuild();
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1, 2);
        assertThat(indices()).doesNotContain(alias + "-0");
    }

    @Test
    void anInstanceWhoseIndexIsRebuiltByAnotherTakesWritesAgain() throws IOException {
        SearchIndex first = instance();
        SearchIndex second = instance();
        first.ensureExists();
        // second saw an index of the earlier mapping, which first is now rebuilding
        client.indices().putMapping(m -> m.index(alias + "-0").meta("version", JsonData.of(1)));
        second.ensureExists();
        assertThat(second.outdated()).isTrue();

        first.startRebuild();

        // without a write of its own (it may hold no segment), or it would ask for the replay again and again
        assertThat(second.outdated()).isFalse();
        send(second, 1, 1, "written by the second");
        first.completeRebuild();
        assertThat(numbers(first.search(TOKEN, 1, "second", FIRST_PAGE, 0))).containsExactly(1);
    }

    private SearchIndex instance() {
        return new SearchIndex(client, new SearchSettings(SharedStack.elasticsearchUrl(), alias, 0, 200, 20, 100, 10_000,
                Duration.ofSeconds(2), Duration.ofSeconds(10), DataSize.ofMegabytes(8)));
    }

    /** Indexes a message as the projection does, searchable at once. */
    private void send(SearchIndex index, int chat, int number, String body) throws IOException {
        index.write(List.of(index.indexMessage(TOKEN, chat, number, body, Instant.now())));
        client.indices().refresh(r -> r.index(alias + "-*"));
    }

    private List<String> indices() throws IOException {
        return List.copyOf(client.indices().get(g -> g.index(alias + "-*")).indices().keySet());
    }

    /** By name: Elasticsearch refuses to delete by wildcard. */
    private void deleteIndices() throws IOException {
        List<String> indices = indices();
        if (!indices.isEmpty()) {
            client.indices().delete(d -> d.index(indices));
        }
    }

    private static List<Integer> numbers(List<MessageView> messages) {
        return messages.stream().map(MessageView::number).toList();
    }
}
