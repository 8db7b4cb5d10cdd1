package io.chatsystem.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store is the truth: every read model (MySQL tables, Elasticsearch index, Redis figures)
 * is wiped, replayed from the events, and answers exactly as before.
 */
class ReplayIT {

    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(3);
    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void theAdminApiNeedsTheAdminCredential() {
        assertThat(api.admin("GET", "/admin/projections", null).status()).isEqualTo(401);
        assertThat(api.admin("GET", "/admin/projections", "wrong").status()).isEqualTo(401);
        assertThat(api.admin("POST", "/admin/projections/replay", null).status()).isEqualTo(401);

        Api.Response statuses = api.admin("GET", "/admin/projections", PASSWORD);
        assertThat(statuses.status()).isEqualTo(200);
        assertThat(statuses.json().findValues("name").stream().map(JsonNode::asString))
                .containsExactly("applications", "chats", "counts", "messages", "search");
        assertThat(statuses.json().get(0).propertyNames())
                .contains("running", "replaying", "position", "head", "lag", "replay_progress_percent");
        assertThat(api.admin("POST", "/admin/projections/nothing/replay", PASSWORD).status()).isEqualTo(404);
    }

    @Test
    void everyReadModelIsRebuiltIdenticallyFromTheEventStore() throws Exception {
        loadData();
        String before = ReadModelSnapshot.of(api, "msg");

        wipeReadStores();
        // the query side may have begun rebuilding the count figures on its own, having found Redis
        // empty: a replay asked meanwhile is refused (409) until that one is done
        Api.Response replay = eventually(() -> api.admin("POST", "/admin/projections/replay", PASSWORD),
                answer -> answer.status() != 409);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);

        eventuallyWithin(REPLAY_TIMEOUT, () -> assertThat(ReadModelSnapshot.of(api, "msg")).isEqualTo(before));
        eventually(() -> assertThat(replayFinished()).isTrue());
    }

    @Test
    void aReplayDuringSendsEndsWithEveryMessageOnce() throws Exception {
        String token = api.createApplication("replay under load");
        int chat = api.createChat(token);
        CompletableFuture<List<Integer>> sending = CompletableFuture.supplyAsync(() -> {
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                numbers.add(api.sendMessage(token, chat, "under load " + i));
            }
            return numbers;
        });
        eventually(() -> assertThat(api.getJson(messagesPath(token, chat))).hasSizeGreaterThan(20));

        assertThat(api.admin("POST", "/admin/projections/messages/replay", PASSWORD).status()).isEqualTo(202);
        assertThat(api.admin("POST", "/admin/projections/search/replay", PASSWORD).status()).isEqualTo(202);
        // the API keeps answering during the replay: stale perhaps, never an error
        for (int i = 0; i < 20; i++) {
            assertThat(api.get(messagesPath(token, chat)).status()).isIn(200, 404);
            assertThat(api.get(messagesPath(token, chat) + "/search?q=load").status()).isIn(200, 404);
        }
        assertThat(sending.get()).isEqualTo(range(300));

        List<Integer> expected = range(300);
        eventuallyWithin(REPLAY_TIMEOUT, () -> assertThat(api.getAll(messagesPath(token, chat), 500).stream()
                .map(m -> m.get("number").asInt()).toList()).isEqualTo(expected));
        // every hit exactly once: paged through, the numbers are 1..300, none twice, none missing
        eventuallyWithin(REPLAY_TIMEOUT, () -> assertThat(api.getAll(messagesPath(token, chat) + "/search?q=load", 100)
                .stream().map(m -> m.get("number").asInt()).sorted().toList()).isEqualTo(expected));
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token + "/chats/" + chat)
                .get("messages_count").asInt()).isEqualTo(300));
    }

    @Test
    void searchAnswersTheSameThroughoutItsRebuild() throws Exception {
        String token = api.createApplication("search during rebuild");
        int chat = api.createChat(token);
        for (int i = 0; i < 30; i++) {
            api.sendMessage(token, chat, "steady " + i);
        }
        String search = messagesPath(token, chat) + "/search?size=100&q=stead";
        eventually(() -> assertThat(api.getJson(search)).hasSize(30));
        String hits = api.getJson(search).toString();
        eventually(() -> assertThat(projection("search").get("replaying").asBoolean()).isFalse());
        String servingIndex = indexBehindAlias();

        assertThat(api.admin("POST", "/admin/projections/search/replay", PASSWORD).status()).isEqualTo(202);
        // the old index serves until the new one has caught up, then the alias moves to the new one:
        // the same hits before, during and after, never an error
        int pollsDuringRebuild = 0;
        long deadline = System.nanoTime() + REPLAY_TIMEOUT.toNanos();
        while (indexBehindAlias().equals(servingIndex)) {
            Api.Response answer = api.get(search);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().toString()).isEqualTo(hits);
            pollsDuringRebuild++;
            assertThat(System.nanoTime()).as("search rebuild finished in time").isLessThan(deadline);
        }
        assertThat(pollsDuringRebuild).as("searches answered while the rebuild ran").isPositive();
        Api.Response after = api.get(search);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().toString()).isEqualTo(hits);
    }

    @Test
    void aSearchIndexLeftByTheEarlierVersionIsRebuiltFromTheEvents() {
        String token = api.createApplication("search index upgrade");
        int chat = api.createChat(token);
        api.sendMessage(token, chat, "upgraded one");
        api.sendMessage(token, chat, "upgraded two");
        String search = messagesPath(token, chat) + "/search?size=100&q=grade";
        eventually(() -> assertThat(api.getJson(search)).hasSize(2));
        eventually(() -> assertThat(projection("search").get("replaying").asBoolean()).isFalse());

        // what an upgrade finds: the previous version's index, under its mapping (fragments as keyword
        // values, no mapping version); emptied here, so that only the rebuild can bring the messages back
        deleteIndices(searchIndices());
        // the query side notices that its index is gone at its next search
        assertThat(api.get(search).status()).isEqualTo(503);
        HttpResponse<String> created = elasticsearch("PUT", "/messages-0", """
                {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
                 "mappings": {"dynamic": "strict", "_source": {"excludes": ["fragments"]}, "properties": {
                   "application_token": {"type": "keyword"}, "chat_number": {"type": "integer"},
                   "number": {"type": "integer"}, "body": {"type": "text", "analyzer": "standard"},
                   "fragments": {"type": "keyword", "doc_values": false},
                   "created_at": {"type": "date"}, "updated_at": {"type": "date"}}},
                 "aliases": {"messages": {}, "messages-write": {}}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        // the query side finds it at its next search (as at its start), asks for the search projection's
        // replay, and swaps the rebuilt index in
        eventuallyWithin(REPLAY_TIMEOUT, () -> {
            assertThat(api.getJson(search)).hasSize(2);
            assertThat(searchIndices()).doesNotContain("messages-0");
        });
        eventually(() -> assertThat(projection("search").get("replaying").asBoolean()).isFalse());
        api.sendMessage(token, chat, "upgraded three");
        eventually(() -> assertThat(api.getJson(search)).hasSize(3));
    }

    private List<String> searchIndices() {
        String indices = elasticsearch("GET", "/_cat/indices/messages-*?h=index", null).body();
        return indices.isBlank() ? List.of() : List.of(indices.strip().split("\\s+"));
    }

    private void deleteIndices(List<String> indices) {
        for (String index : indices) {
            HttpResponse<String> deleted = elasticsearch("DELETE", "/" + index, null);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> elasticsearch(String method, String path, String json) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.elasticsearchUrl() + path))
                    .header("content-type", "application/json")
                    .header("Authorization", system.elasticsearchAuthorization())
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    /** The index the search alias points at, as Elasticsearch tells it. */
    private String indexBehindAlias() throws Exception {
        HttpResponse<String> aliases = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(system.elasticsearchUrl() + "/_alias/messages"))
                        .header("Authorization", system.elasticsearchAuthorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(aliases.statusCode()).as(aliases.body()).isEqualTo(200);
        List<String> indices = new ArrayList<>(Api.JSON.readTree(aliases.body()).propertyNames());
        assertThat(indices).as("indices behind the alias").hasSize(1);
        return indices.getFirst();
    }

    private JsonNode projection(String name) {
        for (JsonNode status : api.admin("GET", "/admin/projections", PASSWORD).json()) {
            if (status.get("name").asString().equals(name)) {
                return status;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private void loadData() {
        for (int a = 0; a < 3; a++) {
            String token = api.createApplication("replayed " + a);
            for (int c = 1; c <= 3; c++) {
                api.createChat(token);
                for (int m = 1; m <= 5; m++) {
                    api.sendMessage(token, c, "msg " + a + "/" + c + "/" + m + " Grüße 😀");
                }
            }
            api.put(messagesPath(token, 2) + "/3", Api.json("body", "edited msg"));
            api.put("/api/v1/applications/" + token, Api.json("name", "renamed " + a));
        }
        // wait until every read model has everything, including the count figures and the index
        eventually(() -> assertThat(replayFinished()).as("%s", api.admin("GET", "/admin/projections", PASSWORD).body()).isTrue());
        eventually(() -> assertThat(api.asOperator(PASSWORD).getAll("/api/v1/applications", 500).stream()
                .filter(app -> app.get("name").asString().startsWith("renamed "))
                .map(app -> app.get("chats_count").asInt()).toList()).containsExactly(3, 3, 3));
        String last = api.asOperator(PASSWORD).getAll("/api/v1/applications", 500).stream()
                .filter(app -> app.get("name").asString().equals("renamed 2")).findFirst().orElseThrow()
                .get("token").asString();
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + last + "/chats/3")
                .get("messages_count").asInt()).isEqualTo(5));
        eventually(() -> assertThat(api.getJson(messagesPath(last, 3) + "/search?q=msg")).hasSize(5));
    }

    private void wipeReadStores() throws Exception {
        try (var connection = system.connectToDatabase();
             var statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM messages");
            statement.executeUpdate("DELETE FROM chats");
            statement.executeUpdate("DELETE FROM applications");
        }
        assertThat(system.redis("FLUSHALL")).isEqualTo("+OK");
        List<String> indices = searchIndices();
        assertThat(indices).as("search indices to delete").isNotEmpty();
        deleteIndices(indices);
    }

    private boolean replayFinished() {
        JsonNode statuses = api.admin("GET", "/admin/projections", PASSWORD).json();
        for (JsonNode status : statuses) {
            if (status.get("replaying").asBoolean() || status.get("lag").isNull() || status.get("lag").asLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
