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
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.system.SharedStack;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterEach;
import org.springframework.util.unit.DataSize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The search read model's versions against a real Elasticsearch: each version an index of its own,
 * searches reading the published one through the alias, which moves in one step.
 */
class SearchIndexVersionsIT {

    private static final String TOKEN = "versions-token";
    private static final PageSpec FIRST_PAGE = new PageSpec(1, 20);

    private Rest5Client rest;
    private ElasticsearchClient client;
    private String alias;

    @BeforeEach
    void connect() {
        URI uri = URI.create(SharedStack.elasticsearchUrl());
        rest = Rest5Client.builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                .setDefaultHeaders(new Header[] {new BasicHeader("Authorization", SharedStack.elasticsearchAuthorization())})
                .build();
        client = new ElasticsearchClient(new Rest5ClientTransport(rest, new Jackson3JsonpMapper()));
        alias = "versions-" + System.nanoTime();
    }

    @AfterEach
    void cleanUp() throws IOException {
        deleteIndices();
        client.indices().deleteIndexTemplate(d -> d.name(alias));
        rest.close();
    }

    @Test
    void searchesReadThePublishedVersionAndMoveToTheNextInOneStep() throws IOException {
        SearchIndex index = instance();
        index.create(1);
        index.publish(1);
        send(index, 1, 1, 1, "hello first");
        index.create(2);
        send(index, 2, 1, 1, "hello first");
        send(index, 2, 1, 2, "hello second");

        // version 2 is being built: searches still read version 1
        assertThat(index.published()).containsExactly(alias + "-v1");
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1);

        index.publish(2);
        assertThat(index.published()).containsExactly(alias + "-v2");
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1, 2);

        index.drop(1);
        index.drop(1);
        assertThat(indices()).containsExactly(alias + "-v2");
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1, 2);
    }

    @Test
    void anIndexFromBeforeVersionsAnswersUntilTheFirstVersionIsPublishedAndIsThenDeleted() throws IOException {
        // as the earlier mapping made it: fragments as keyword values, no mapping version
        client.indices().create(c -> c.index(alias + "-0")
                .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                .mappings(m -> m.withJson(new StringReader("""
                        {"dynamic": "strict", "_source": {"excludes": ["fragments"]}, "properties": {
                          "application_token": {"type": "keyword"}, "chat_number": {"type": "integer"},
                          "number": {"type": "integer"}, "body": {"type": "text", "analyzer": "standard"},
                          "fragments": {"type": "keyword", "doc_values": false},
                          "created_at": {"type": "date"}, "updated_at": {"type": "date"}}}""")))
                .aliases(alias, a -> a));
        client.index(i -> i.index(alias + "-0").id(TOKEN + ":1:1").refresh(Refresh.True).withJson(new StringReader("""
                {"application_token": "%s", "chat_number": 1, "number": 1, "body": "hello old",
                 "fragments": ["hello", "ello", "llo", "lo", "o", "old", "ld", "d"],
                 "created_at": "2026-01-01T00:00:00Z"}""".formatted(TOKEN))));
        SearchIndex index = instance();

        assertThat(index.published()).containsExactly(alias + "-0");
        assertThat(index.outdated(1)).as("no index for version 1 yet").isTrue();
        index.create(1);
        assertThat(index.outdated(1)).isFalse();
        send(index, 1, 1, 1, "hello old");
        send(index, 1, 1, 2, "hello new");
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1);

        index.publish(1);
        assertThat(numbers(index.search(TOKEN, 1, "ell", FIRST_PAGE, 0))).containsExactly(1, 2);
        assertThat(indices()).containsExactly(alias + "-v1");
    }

    @Test
    void aVersionsIndexDeletedBySomeoneComesBackWithItsMappingAtTheNextWrite() throws IOException {
        // (the write that finds it gone fails, as its batch then does, and makes it again)
        SearchIndex index = instance();
        index.create(1);
        index.publish(1);
        send(index, 1, 1, 1, "gone");
        client.indices().delete(d -> d.index(alias + "-v1"));

        assertThatThrownBy(() -> index.search(TOKEN, 1, "gone", FIRST_PAGE, 0))
                .isInstanceOfSatisfying(ElasticsearchException.class,
                        e -> assertThat(SearchIndex.isUnavailable(e)).isTrue());

        assertThatThrownBy(() -> send(index, 1, 2, 1, "back again")).isInstanceOf(IOException.class);
        send(index, 1, 2, 1, "back again");
        assertThat(index.outdated(1)).as("made from the template, with the current mapping").isFalse();
        // its alias went with it: searches read it again once it is published again (by a rebuild)
        index.publish(1);
        assertThat(numbers(index.search(TOKEN, 2, "gai", FIRST_PAGE, 0))).containsExactly(1);
    }

    private SearchIndex instance() {
        return new SearchIndex(client, new SearchSettings(SharedStack.elasticsearchUrl(), alias, 0, 200, 20, 100, 10_000,
                Duration.ofSeconds(2), Duration.ofSeconds(10), DataSize.ofMegabytes(8)));
    }

    /** Indexes a message into a version's index as its projection does, searchable at once. */
    private void send(SearchIndex index, int version, int chat, int number, String body) throws IOException {
        index.write(index.index(version), List.of(index.indexMessage(TOKEN, chat, number, body, Instant.now())));
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
