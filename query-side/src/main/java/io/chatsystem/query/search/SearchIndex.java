package io.chatsystem.query.search;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.GetIndexResponse;
import co.elastic.clients.elasticsearch.indices.get.Feature;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The message index: one document per message, with id {@code token:chat:number} so that indexing
 * a message again replaces it. Each version of the search read model has an index of its own
 * ({@code messages-v3}); searches read the live one through the alias ({@code messages}).
 */
@Repository
class SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

    /**
     * Raised with each change to the mapping below; an index made under an earlier one is rebuilt
     * (version 1, without {@code _meta}, held the fragments as keyword values).
     */
    static final int MAPPING_VERSION = 2;

    private static final String MAPPING = """
            {
              "dynamic": "strict",
              "_meta": {"version": %d},
              "_source": {"excludes": ["fragments"]},
              "properties": {
                "application_token": {"type": "keyword"},
                "chat_number": {"type": "integer"},
                "number": {"type": "integer"},
                "body": {"type": "text", "analyzer": "standard"},
                "fragments": {"type": "text", "analyzer": "whitespace", "index_options": "docs", "norms": false},
                "created_at": {"type": "date"},
                "updated_at": {"type": "date"}
              }
            }""".formatted(MAPPING_VERSION);

    /** A bulk operation's action line and the document's fixed fields, at most. */
    private static final int OPERATION_BYTES = 512;
    /** UTF-8 takes at most three bytes for a UTF-16 char (four for a pair of them). */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private static final ObjectWriter DOCUMENT_WRITER = JsonMapper.builder().build().writerFor(IndexedMessage.class);

    private static final String INDEX_NOT_FOUND = "index_not_found_exception";
    /** A version's index: {@code messages-v3}. */
    private static final Pattern VERSION_INDEX = Pattern.compile(".*-v\\d+");

    private final ElasticsearchClient client;
    private final SearchSettings settings;
    /** Searches read through this alias: it names the live version's index. */
    private final String readAlias;
    /** Mapping versions already looked up, by index (an index's mapping never changes). */
    private final Map<String, Integer> mappings = new ConcurrentHashMap<>();

    SearchIndex(ElasticsearchClient client, SearchSettings settings) {
        this.client = client;
        this.settings = settings;
        this.readAlias = settings.alias();
    }

    /** The index of a version of the search read model. */
    String index(int version) {
        return readAlias + "-v" + version;
    }

    /** The indices searches read (one, or none before the first is published). */
    Set<String> published() throws IOException {
        GetIndexResponse response = client.indices().get(g -> g.index(readAlias + "-*").features(Feature.Aliases));
        Set<String> published = new TreeSet<>();
        response.indices().forEach((index, state) -> {
            if (state.aliases().containsKey(readAlias)) {
                published.add(index);
            }
        });
        return published;
    }

    /**
     * An empty index for a version unless it is there already, made from a template that every version's
     * index name matches (so is one made again after someone deleted it).
     */
    void create(int version) throws IOException {
        client.indices().putIndexTemplate(t -> t.name(readAlias).indexPatterns(readAlias + "-v*")
                .template(template -> template
                        .settings(s -> s.numberOfShards("1").numberOfReplicas(Integer.toString(settings.replicas())))
                        .mappings(m -> m.withJson(new StringReader(MAPPING)))));
        createIndex(index(version));
    }

    private void createIndex(String index) throws IOException {
        try {
            client.indices().create(c -> c.index(index));
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }

    /**
     * Searches read the version's index from now on: everything written to it so far is made searchable
     * first, then the alias moves in one request. An index from before versions is deleted with it.
     */
    void publish(int version) throws IOException {
        String index = index(version);
        client.indices().refresh(r -> r.index(index));
        List<Action> actions = new ArrayList<>();
        actions.add(Action.of(a -> a.add(add -> add.index(index).alias(readAlias))));
        for (String earlier : published()) {
            if (earlier.equals(index)) {
                continue;
            }
            if (VERSION_INDEX.matcher(earlier).matches()) {
                actions.add(Action.of(a -> a.remove(r -> r.index(earlier).alias(readAlias))));
            } else {
                actions.add(Action.of(a -> a.removeIndex(r -> r.index(earlier))));
            }
        }
        client.indices().updateAliases(u -> u.actions(actions));
    }

    /** Deletes a version's index; nothing if it is gone already. */
    void drop(int version) throws IOException {
        try {
            client.indices().delete(d -> d.index(index(version)));
        } catch (ElasticsearchException e) {
            if (!isIndexNotFound(e)) {
                throw e;
            }
        }
        mappings.remove(index(version));
    }

    /** Whether a version's index was made under an earlier mapping (or is gone): then it is rebuilt. */
    boolean outdated(int version) throws IOException {
        String index = index(version);
        Integer mapping = mappings.get(index);
        if (mapping == null) {
            try {
                mapping = client.indices().getMapping(g -> g.index(index)).mappings().values().stream()
                        .map(state -> state.mappings().meta().get("version"))
                        .mapToInt(found -> found == null ? 1 : found.to(Integer.class))
                        .min().orElse(0);
            } catch (ElasticsearchException e) {
                if (!isIndexNotFound(e)) {
                    throw e;
                }
                // gone: not remembered, it may be made again
                return true;
            }
            mappings.put(index, mapping);
        }
        return mapping < MAPPING_VERSION;
    }

    /** Indexes or re-indexes documents, in one bulk request. */
    /** Makes every document written so far visible to searches (through the read alias). */
    void refreshReads() throws IOException {
        client.indices().refresh(r -> r.index(readAlias));
    }

    /**
     * Indexes or re-indexes documents of one version's index, in one bulk request. An index someone deleted
     * is made again, empty and from the template ({@link #create}), so that new messages are indexed (the
     * batch fails meanwhile and is retried); what it held comes back with a rebuild.
     */
    void write(String index, List<Write> writes) throws IOException {
        if (writes.isEmpty()) {
            return;
        }
        List<BulkOperation> operations = writes.stream().map(Write::operation).toList();
        BulkResponse response = client.bulk(b -> b.index(index).operations(operations));
        if (response.errors()) {
            BulkResponseItem failed = response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow();
            if (INDEX_NOT_FOUND.equals(failed.error().type())) {
                log.warn("Search index {} is gone; an empty one takes its place: rebuild the search projection to"
                        + " refill it", index);
                createIndex(index);
            }
            throw new IOException("search index refused " + failed.id() + ": " + failed.error().reason());
        }
    }

    /** An operation of a bulk request, and about how many bytes it adds to the request. */
    record Write(BulkOperation operation, long bytes) {
    }

    Write indexMessage(String token, int chat, int number, String body, Instant sentAt) {
        BinaryData document = document(new IndexedMessage(token, chat, number, body, Fragments.of(body),
                sentAt.toString(), null));
        return new Write(BulkOperation.of(o -> o.index(i -> i.id(id(token, chat, number))
                .document(document))), OPERATION_BYTES + document.size());
    }

    Write editMessage(String token, int chat, int number, String body, Instant editedAt) {
        // an update's partial document is serialized by the client (it takes no bytes there); edits are rare
        String fragments = Fragments.of(body);
        IndexedMessage change = new IndexedMessage(token, chat, number, body, fragments, null, editedAt.toString());
        return new Write(BulkOperation.of(o -> o.update(u -> u.id(id(token, chat, number))
                .action(a -> a.doc(change).docAsUpsert(true)))),
                OPERATION_BYTES + MAX_UTF8_BYTES_PER_CHAR * ((long) body.length() + fragments.length()));
    }

    /**
     * A document as the bytes the bulk request carries: written straight from a record, where the client
     * would walk a map through its JSON-P layer (a fifth of a search replay's query-side work).
     */
    private static BinaryData document(IndexedMessage message) {
        return BinaryData.of(DOCUMENT_WRITER.writeValueAsBytes(message), ContentType.APPLICATION_JSON);
    }

    /** A message document as written (its fragments are searched, not stored: see the mapping). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IndexedMessage(String application_token, int chat_number, int number, String body, String fragments,
                          String created_at, String updated_at) {
    }

    /** Messages of the chat containing every query word, best matches first, without the page's first {@code skip}. */
    List<MessageView> search(String token, int chat, String text, PageSpec page, int skip) throws IOException {
        List<Query> words = new ArrayList<>();
        for (String word : Fragments.queryWords(text)) {
            words.add(Query.of(q -> q.prefix(p -> p.field("fragments").value(word))));
        }
        SearchRequest request = SearchRequest.of(s -> s
                .index(readAlias)
                .query(q -> q.bool(b -> b
                        .filter(f -> f.term(t -> t.field("application_token").value(token)))
                        .filter(f -> f.term(t -> t.field("chat_number").value(chat)))
                        .must(words)
                        // whole words rank above parts of words
                        .should(sh -> sh.match(m -> m.field("body").query(text)))))
                .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("number").order(SortOrder.Asc)))
                .from((int) page.offset() + skip)
                .size(page.size() - skip)
                .trackTotalHits(t -> t.enabled(false)));
        SearchResponse<StoredMessage> response = client.search(request, StoredMessage.class);
        return response.hits().hits().stream()
                .map(hit -> hit.source())
                .map(m -> new MessageView(m.number(), m.body(), parse(m.created_at()), parse(m.updated_at())))
                .toList();
    }

    /** True for failures that mean Elasticsearch cannot be reached or cannot answer right now. */
    static boolean isUnavailable(Exception e) {
        return e instanceof IOException || e instanceof TransportException
                || (e instanceof ElasticsearchException es && (es.status() >= 500 || isIndexNotFound(es)));
    }

    private static boolean isIndexNotFound(ElasticsearchException e) {
        return INDEX_NOT_FOUND.equals(e.error().type());
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
