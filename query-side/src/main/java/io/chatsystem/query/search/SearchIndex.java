package io.chatsystem.query.search;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Repository;

/**
 * The message index: one document per message, with id {@code token:chat:number} so that indexing
 * a message again replaces it. Reached only through its alias.
 */
@Repository
class SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

    private static final String MAPPING = """
            {
              "dynamic": "strict",
              "_source": {"excludes": ["fragments"]},
              "properties": {
                "application_token": {"type": "keyword"},
                "chat_number": {"type": "integer"},
                "number": {"type": "integer"},
                "body": {"type": "text", "analyzer": "standard"},
                "fragments": {"type": "keyword", "doc_values": false},
                "created_at": {"type": "date"},
                "updated_at": {"type": "date"}
              }
            }""";

    private final ElasticsearchClient client;
    private final SearchSettings settings;
    /** Searches read through this alias. */
    private final String readAlias;
    /** The projection writes through this one; during a rebuild it points at the new index. */
    private final String writeAlias;
    private volatile boolean ready;
    /** A rebuild started here or found at start-up and not yet swapped in. */
    private volatile boolean rebuilding;

    SearchIndex(ElasticsearchClient client, SearchSettings settings) {
        this.client = client;
        this.settings = settings;
        this.readAlias = settings.alias();
        this.writeAlias = settings.alias() + "-write";
    }

    /** Creates the index and its aliases unless they exist. */
    synchronized void ensureExists() throws IOException {
        if (ready) {
            return;
        }
        if (!aliasExists(readAlias)) {
            String index = createIndex();
            client.indices().updateAliases(u -> u
                    .actions(a -> a.add(add -> add.index(index).alias(readAlias)))
                    .actions(a -> a.add(add -> add.index(index).alias(writeAlias))));
            log.info("Created search index {} behind aliases {} and {}", index, readAlias, writeAlias);
        } else if (!aliasExists(writeAlias)) {
            String index = indexBehind(readAlias);
            client.indices().putAlias(a -> a.index(index).name(writeAlias));
        } else {
            rebuilding = !indexBehind(readAlias).equals(indexBehind(writeAlias));
        }
        ready = true;
    }

    /**
     * Starts a rebuild: new writes go to a fresh index while searches keep reading the current one,
     * until {@link #completeRebuild()} swaps the read alias over.
     */
    synchronized void startRebuild() throws IOException {
        String index = createIndex();
        if (!aliasExists(readAlias)) {
            // nothing to keep serving: the new index takes both aliases at once
            client.indices().updateAliases(u -> u
                    .actions(a -> a.add(add -> add.index(index).alias(readAlias)))
                    .actions(a -> a.add(add -> add.index(index).alias(writeAlias))));
        } else if (aliasExists(writeAlias)) {
            String previous = indexBehind(writeAlias);
            client.indices().updateAliases(u -> u
                    .actions(a -> a.remove(r -> r.index(previous).alias(writeAlias)))
                    .actions(a -> a.add(add -> add.index(index).alias(writeAlias))));
        } else {
            client.indices().putAlias(a -> a.index(index).name(writeAlias));
        }
        ready = true;
        rebuilding = true;
        log.info("Rebuilding the search index into {}; searches read the current index until it has caught up", index);
    }

    /** A rebuild was started, perhaps by another instance: {@link #rebuildPending()} asks Elasticsearch again. */
    void rebuildUnderWay() {
        rebuilding = true;
    }

    /** Cheap: asks Elasticsearch only while a rebuild is known to be under way. */
    boolean rebuildPending() throws IOException {
        if (!rebuilding) {
            return false;
        }
        rebuilding = aliasExists(readAlias) && aliasExists(writeAlias)
                && !indexBehind(readAlias).equals(indexBehind(writeAlias));
        return rebuilding;
    }

    /** Points searches at the rebuilt index and drops the old one. */
    synchronized void completeRebuild() throws IOException {
        if (!rebuildPending()) {
            return;
        }
        String old = indexBehind(readAlias);
        String rebuilt = indexBehind(writeAlias);
        // make everything written so far searchable first: right after the swap, searches must find
        // what the old index found, not wait for the next periodic refresh
        client.indices().refresh(r -> r.index(rebuilt));
        client.indices().updateAliases(u -> u
                .actions(a -> a.remove(r -> r.index(old).alias(readAlias)))
                .actions(a -> a.add(add -> add.index(rebuilt).alias(readAlias))));
        client.indices().delete(d -> d.index(old));
        rebuilding = false;
        log.info("Search index {} has caught up and now answers searches; dropped {}", rebuilt, old);
    }

    private String createIndex() throws IOException {
        String index = readAlias + "-" + System.currentTimeMillis();
        client.indices().create(c -> c.index(index)
                .settings(s -> s.numberOfShards("1").numberOfReplicas(Integer.toString(settings.replicas())))
                .mappings(m -> m.withJson(new StringReader(MAPPING))));
        return index;
    }

    private boolean aliasExists(String alias) throws IOException {
        return client.indices().existsAlias(a -> a.name(alias)).value();
    }

    private String indexBehind(String alias) throws IOException {
        return client.indices().getAlias(a -> a.name(alias)).aliases().keySet().iterator().next();
    }

    /** Indexes or re-indexes documents, in one bulk request. */
    void write(List<BulkOperation> operations) throws IOException {
        if (operations.isEmpty()) {
            return;
        }
        ensureExists();
        BulkResponse response = client.bulk(b -> b.operations(operations));
        if (response.errors()) {
            BulkResponseItem failed = response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow();
            throw new IOException("search index refused " + failed.id() + ": " + failed.error().reason());
        }
    }

    BulkOperation indexMessage(String token, int chat, int number, String body, Instant sentAt) {
        Map<String, Object> document = document(token, chat, number, body, "created_at", sentAt);
        return BulkOperation.of(o -> o.index(i -> i.index(writeAlias).id(id(token, chat, number)).document(document)));
    }

    BulkOperation editMessage(String token, int chat, int number, String body, Instant editedAt) {
        Map<String, Object> change = document(token, chat, number, body, "updated_at", editedAt);
        return BulkOperation.of(o -> o.update(u -> u.index(writeAlias).id(id(token, chat, number))
                .action(a -> a.doc(change).docAsUpsert(true))));
    }

    private static Map<String, Object> document(String token, int chat, int number, String body,
                                                String timeField, Instant time) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("application_token", token);
        document.put("chat_number", chat);
        document.put("number", number);
        document.put("body", body);
        document.put("fragments", Fragments.of(body));
        document.put(timeField, time.toString());
        return document;
    }

    /** Messages of the chat containing every query word, best matches first. */
    List<MessageView> search(String token, int chat, String text, PageSpec page) throws IOException {
        ensureExists();
        List<Query> words = new ArrayList<>();
        for (String word : Fragments.queryWords(text)) {
            words.add(Query.of(q -> q.prefix(p -> p.field("fragments").value(word))));
        }
        SearchResponse<StoredMessage> response = client.search(s -> s
                .index(readAlias)
                .query(q -> q.bool(b -> b
                        .filter(f -> f.term(t -> t.field("application_token").value(token)))
                        .filter(f -> f.term(t -> t.field("chat_number").value(chat)))
                        .must(words)
                        // whole words rank above parts of words
                        .should(sh -> sh.match(m -> m.field("body").query(text)))))
                .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("number").order(SortOrder.Asc)))
                .from((int) page.offset())
                .size(page.size())
                .trackTotalHits(t -> t.enabled(false)), StoredMessage.class);
        return response.hits().hits().stream()
                .map(hit -> hit.source())
                .map(m -> new MessageView(m.number(), m.body(), parse(m.created_at()), parse(m.updated_at())))
                .toList();
    }

    /** True for failures that mean Elasticsearch cannot be reached or cannot answer right now. */
    static boolean isUnavailable(Exception e) {
        return e instanceof IOException || e instanceof TransportException
                || (e instanceof ElasticsearchException es && es.status() >= 500);
    }

    private static Instant parse(String value) {
        return value == null ? null : Instant.parse(value);
    }

    private static String id(String token, int chat, int number) {
        return token + ":" + chat + ":" + number;
    }

    /** The stored source of a message document. */
    record StoredMessage(int number, String body, String created_at, String updated_at) {
    }
}
