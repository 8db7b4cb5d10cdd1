package io.chatsystem.query.search;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

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
import co.elastic.clients.elasticsearch.indices.IndexState;
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
 * a message again replaces it. Reached only through its alias.
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

    /** A rebuild's alias change that keeps meeting another instance's gives up after this many tries. */
    private static final int MAX_ALIAS_ATTEMPTS = 3;
    private static final String INDEX_NOT_FOUND = "index_not_found_exception";

    private final ElasticsearchClient client;
    private final SearchSettings settings;
    /** Searches read through this alias. */
    private final String readAlias;
    /** The projection writes through this one; during a rebuild it points at the new index. */
    private final String writeAlias;
    private volatile boolean ready;
    /** A rebuild started here or found at start-up and not yet swapped in. */
    private volatile boolean rebuilding;
    /** The projection writes to an index made under an earlier mapping: it takes no writes until rebuilt. */
    private volatile boolean outdated;

    SearchIndex(ElasticsearchClient client, SearchSettings settings) {
        this.client = client;
        this.settings = settings;
        this.readAlias = settings.alias();
        this.writeAlias = settings.alias() + "-write";
    }

    /**
     * Where searches read and the projection writes; the two differ while a rebuild is under way.
     * Either is null when no index holds that alias.
     */
    record Aliases(String read, String write) {
        boolean rebuilding() {
            return read != null && write != null && !read.equals(write);
        }
    }

    /** Both aliases, as one request sees them. */
    Aliases aliases() throws IOException {
        GetIndexResponse response = client.indices().get(g -> g.index(readAlias + "-*").features(Feature.Aliases));
        String read = null;
        String write = null;
        for (Map.Entry<String, IndexState> index : response.indices().entrySet()) {
            Set<String> names = index.getValue().aliases().keySet();
            if (names.contains(readAlias)) {
                read = index.getKey();
            }
            if (names.contains(writeAlias)) {
                write = index.getKey();
            }
        }
        return new Aliases(read, write);
    }

    /**
     * Creates the index and its aliases unless they exist. Query-side instances may start side by
     * side: the first index has a fixed name and gets its aliases as it is created, so only one wins.
     */
    synchronized void ensureExists() throws IOException {
        if (ready) {
            return;
        }
        Aliases aliases = aliases();
        if (aliases.read() == null) {
            createFirstIndex();
            aliases = aliases();
        } else if (aliases.write() == null) {
            String index = aliases.read();
            client.indices().putAlias(a -> a.index(index).name(writeAlias));
            aliases = new Aliases(index, index);
        }
        if (aliases.read() == null) {
            throw new IOException("index " + firstIndex() + " exists without the alias " + readAlias
                    + ": delete it or give it the alias");
        }
        rebuilding = aliases.rebuilding();
        int version = mappingVersion(aliases.write());
        outdated = version < MAPPING_VERSION;
        if (outdated) {
            log.warn("Search index {} was made by an earlier version (mapping {}, now {}): it takes no more messages,"
                    + " and the {} projection is replayed into a new one; searches read it until then",
                    aliases.write(), version, MAPPING_VERSION, SearchProjection.NAME);
        }
        ready = true;
    }

    /**
     * Whether the projection writes to an index made under an earlier mapping: then it must be rebuilt
     * ({@link SearchIndexRebuild} asks for the replay). Once seen so, Elasticsearch is asked again at each call
     * until it is not: the rebuild may be another instance's, and this one may hold no segment to write with.
     */
    boolean outdated() throws IOException {
        if (outdated) {
            outdated = mappingVersion(writeAlias) < MAPPING_VERSION;
        }
        return outdated;
    }

    /** The mapping version of an index, or of the one behind an alias. */
    private int mappingVersion(String indexOrAlias) throws IOException {
        return client.indices().getMapping(g -> g.index(indexOrAlias)).mappings().values().stream()
                .map(index -> index.mappings().meta().get("version"))
                .mapToInt(version -> version == null ? 1 : version.to(Integer.class))
                .min().orElse(MAPPING_VERSION);
    }

    private void createFirstIndex() throws IOException {
        String index = firstIndex();
        try {
            client.indices().create(c -> c.index(index)
                    .settings(s -> s.numberOfShards("1").numberOfReplicas(Integer.toString(settings.replicas())))
                    .mappings(m -> m.withJson(new StringReader(MAPPING)))
                    .aliases(readAlias, a -> a)
                    .aliases(writeAlias, a -> a));
            log.info("Created search index {} behind aliases {} and {}", index, readAlias, writeAlias);
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
            // another instance created it a moment ago
        }
    }

    private String firstIndex() {
        return readAlias + "-0";
    }

    /**
     * Starts a rebuild: new writes go to a fresh index while searches keep reading the current one,
     * until {@link #completeRebuild()} swaps the read alias over. A rebuild still pending is abandoned
     * and its index dropped.
     */
    synchronized void startRebuild() throws IOException {
        String index = createIndex();
        for (int attempt = 1; !moveWriteAlias(aliases(), index); attempt++) {
            if (attempt == MAX_ALIAS_ATTEMPTS) {
                throw new IOException("the aliases of " + readAlias + " kept changing; rebuild not started");
            }
        }
        ready = true;
        rebuilding = true;
        outdated = false;
        log.info("Rebuilding the search index into {}; searches read the current index until it has caught up", index);
    }

    /**
     * Points the write alias at {@code index}, in one request that names what it saw and so fails,
     * changing nothing, if another instance has moved an alias since: false then.
     */
    boolean moveWriteAlias(Aliases seen, String index) throws IOException {
        List<Action> actions = new ArrayList<>();
        if (seen.read() == null) {
            // nothing to keep serving: the new index takes both aliases at once
            actions.add(Action.of(a -> a.add(add -> add.index(index).alias(readAlias))));
        } else {
            // a guard: the request fails unless searches still read the index seen, never the one dropped below
            actions.add(Action.of(a -> a.remove(r -> r.index(seen.read()).alias(readAlias).mustExist(true))));
            actions.add(Action.of(a -> a.add(add -> add.index(seen.read()).alias(readAlias))));
        }
        if (seen.rebuilding()) {
            actions.add(Action.of(a -> a.removeIndex(r -> r.index(seen.write()))));
        } else if (seen.write() != null) {
            actions.add(Action.of(a -> a.remove(r -> r.index(seen.write()).alias(writeAlias).mustExist(true))));
        }
        actions.add(Action.of(a -> a.add(add -> add.index(index).alias(writeAlias))));
        return changeAliases(actions, "moving " + writeAlias + " to " + index);
    }

    /** A rebuild was started, perhaps by another instance: {@link #completeRebuildIfUnderWay()} will look. */
    void rebuildUnderWay() {
        rebuilding = true;
    }

    /** Completes a rebuild this instance knows of; asks Elasticsearch nothing otherwise. */
    void completeRebuildIfUnderWay() throws IOException {
        if (rebuilding) {
            completeRebuild();
        }
    }

    /** Points searches at the rebuilt index and drops the old one, unless another instance just did. */
    synchronized void completeRebuild() throws IOException {
        Aliases seen = aliases();
        if (seen.rebuilding()) {
            swap(seen);
        }
        rebuilding = false;
    }

    /**
     * Moves searches to the rebuilt index and drops the old one, in one request that names both and so
     * fails, changing nothing, if another instance has swapped them first: false then.
     */
    boolean swap(Aliases seen) throws IOException {
        try {
            // make everything written so far searchable first: right after the swap, searches must find
            // what the old index found, not wait for the next periodic refresh
            client.indices().refresh(r -> r.index(seen.write()));
        } catch (ElasticsearchException e) {
            if (lostRace(e)) {
                return false;
            }
            throw e;
        }
        // dropping the old index takes its alias with it, and fails the whole request if it is already gone
        boolean swapped = changeAliases(List.of(
                Action.of(a -> a.add(add -> add.index(seen.write()).alias(readAlias))),
                Action.of(a -> a.removeIndex(r -> r.index(seen.read())))), "swapping in " + seen.write());
        if (swapped) {
            log.info("Search index {} has caught up and now answers searches; dropped {}", seen.write(), seen.read());
        }
        return swapped;
    }

    /** Applies the actions atomically; false if an index or alias they name is gone. */
    private boolean changeAliases(List<Action> actions, String what) throws IOException {
        try {
            client.indices().updateAliases(u -> u.actions(actions));
            return true;
        } catch (ElasticsearchException e) {
            if (lostRace(e)) {
                log.debug("Another instance changed the aliases first; not {}: {}", what, e.getMessage());
                return false;
            }
            throw e;
        }
    }

    private static boolean lostRace(ElasticsearchException e) {
        return e.status() == 404;
    }

    private String createIndex() throws IOException {
        // named by time for operators, with a random tail so that two rebuilds in one millisecond differ
        String index = "%s-%d-%04x".formatted(readAlias, System.currentTimeMillis(),
                ThreadLocalRandom.current().nextInt(0x10000));
        client.indices().create(c -> c.index(index)
                .settings(s -> s.numberOfShards("1").numberOfReplicas(Integer.toString(settings.replicas())))
                .mappings(m -> m.withJson(new StringReader(MAPPING))));
        return index;
    }

    /** Indexes or re-indexes documents, in one bulk request. */
    /** Makes every document written so far visible to searches (through the read alias). */
    void refreshReads() throws IOException {
        client.indices().refresh(r -> r.index(readAlias));
    }

    void write(List<Write> writes) throws IOException {
        if (writes.isEmpty()) {
            return;
        }
        List<BulkOperation> operations = writes.stream().map(Write::operation).toList();
        ensureExists();
        if (outdated()) {
            throw new IOException("search index behind " + writeAlias + " was made by an earlier version; it takes"
                    + " messages again once the " + SearchProjection.NAME + " projection's replay has begun");
        }
        BulkResponse response = client.bulk(b -> b.operations(operations));
        if (response.errors()) {
            BulkResponseItem failed = response.items().stream().filter(i -> i.error() != null).findFirst().orElseThrow();
            if (INDEX_NOT_FOUND.equals(failed.error().type())) {
                indexGone();
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
        return new Write(BulkOperation.of(o -> o.index(i -> i.index(writeAlias).id(id(token, chat, number))
                .document(document))), OPERATION_BYTES + document.size());
    }

    Write editMessage(String token, int chat, int number, String body, Instant editedAt) {
        // an update's partial document is serialized by the client (it takes no bytes there); edits are rare
        String fragments = Fragments.of(body);
        IndexedMessage change = new IndexedMessage(token, chat, number, body, fragments, null, editedAt.toString());
        return new Write(BulkOperation.of(o -> o.update(u -> u.index(writeAlias).id(id(token, chat, number))
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
        ensureExists();
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
        SearchResponse<StoredMessage> response;
        try {
            response = client.search(request, StoredMessage.class);
        } catch (ElasticsearchException e) {
            if (isIndexNotFound(e)) {
                indexGone();
            }
            throw e;
        }
        return response.hits().hits().stream()
                .map(hit -> hit.source())
                .map(m -> new MessageView(m.number(), m.body(), parse(m.created_at()), parse(m.updated_at())))
                .toList();
    }

    /**
     * Someone deleted the index or its aliases. The next search or write creates an empty one, so that
     * new messages are indexed again; what was in the old one comes back only with a replay.
     */
    private void indexGone() {
        if (ready) {
            ready = false;
            log.warn("The search index behind {} is gone; an empty one takes its place: replay the {} projection"
                    + " to refill it", readAlias, SearchProjection.NAME);
        }
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
