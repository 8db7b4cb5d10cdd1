package io.chatsystem.system;

import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatsystem.stack.AppProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Read your own writes: every write answers with a {@code Consistency-Token}, and a read that sends it
 * back, to either of two query sides, shows the write at once (no 404, counts that include it, a search
 * hit, a stream that opens); a token that is no token is a 400; a read whose read model cannot catch up
 * answers 503 with Retry-After within the timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadYourWritesIT {

    private static final String TOKEN = "Consistency-Token";
    private static final int SEQUENCES = 200;
    private static final int CLIENTS = 8;
    /** The query side's chat.reads.consistency-timeout (5 s) and room for a loaded machine. */
    private static final Duration TIMEOUT_BOUND = Duration.ofSeconds(9);

    private static final SystemUnderTest system = SystemUnderTest.get();
    private static AppProcess second;
    private static List<Api> readers;

    @BeforeAll
    static void twoQuerySides() {
        second = system.startExtraQuerySide();
        Api first = system.api();
        readers = List.of(first, new Api(first.commandUrl, second.baseUrl()));
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    /**
     * Each sequence writes and reads back at once, through alternating query sides: an application, its
     * name after a rename, a chat and the application's count, a message, the chat's count and list, its
     * edit, a search hit, and the chat's stream. Every read is counted; none may miss.
     */
    @Test
    @Order(1)
    void everyWriteIsReadBackAtOnceWithItsToken() {
        Map<String, AtomicInteger> misses = new ConcurrentHashMap<>();
        AtomicInteger reads = new AtomicInteger();
        Parallel.run(SEQUENCES, CLIENTS, sequence -> {
            Api writer = system.api();
            Api reader = readers.get(sequence % 2);
            Api other = readers.get((sequence + 1) % 2);
            Check check = new Check(misses, reads);

            Api.Response created = writer.post("/api/v1/applications", json("name", "ryw " + sequence));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String token = created.json().get("token").asString();
            String app = "/api/v1/applications/" + token;
            check.that("application", read(reader, app, created), body -> body.get("name").asString().equals("ryw " + sequence)
                    && body.get("chats_count").asLong() == 0);

            Api.Response renamed = writer.put(app, json("name", "ryw renamed " + sequence));
            check.that("rename", read(other, app, renamed), body -> body.get("name").asString().equals("ryw renamed " + sequence));

            Api.Response chat = writer.post(app + "/chats", null);
            check.that("chat", read(reader, app + "/chats/1", chat), body -> body.get("messages_count").asLong() == 0);
            check.that("chats_count", read(other, app, chat), body -> body.get("chats_count").asLong() == 1);

            String word = "word" + sequence + "x" + System.nanoTime();
            Api.Response sent = writer.post(messagesPath(token, 1), json("body", "hello " + word));
            check.that("message", read(reader, messagesPath(token, 1) + "/1", sent),
                    body -> body.get("body").asString().equals("hello " + word));
            check.that("messages_count", read(other, app + "/chats/1", sent), body -> body.get("messages_count").asLong() == 1);
            check.that("message list", read(reader, messagesPath(token, 1), sent), body -> body.size() == 1);
            check.that("chat list count", read(other, app + "/chats", sent),
                    body -> body.size() == 1 && body.get(0).get("messages_count").asLong() == 1);

            Api.Response edited = writer.put(messagesPath(token, 1) + "/1", json("body", "edited " + word));
            check.that("edit", read(other, messagesPath(token, 1) + "/1", edited),
                    body -> body.get("body").asString().equals("edited " + word));

            // the parameter form, as an EventSource sends it
            check.that("search", reader.get(messagesPath(token, 1) + "/search?q=" + word.substring(2)
                            + "&consistency_token=" + edited.header(TOKEN)),
                    body -> body.size() == 1 && body.get(0).get("body").asString().equals("edited " + word));

            Api.Response nextChat = writer.post(app + "/chats", null);
            try (EventStream stream = EventStream.open(other.queryUrl,
                    "/api/v1/applications/" + token + "/chats/2/messages/stream?consistency_token=" + nextChat.header(TOKEN),
                    Map.of())) {
                reads.incrementAndGet();
                if (stream.status != 200) {
                    misses.computeIfAbsent("stream", k -> new AtomicInteger()).incrementAndGet();
                }
            }
            return null;
        });

        assertThat(reads.get()).isEqualTo(SEQUENCES * 11);
        assertThat(misses).as("reads that did not show their write, by kind").isEmpty();
    }

    /** A keyed repeat stores nothing, and still answers with a token that shows the first write. */
    @Test
    @Order(2)
    void aKeyedRepeatAnswersWithAToken() {
        Api api = system.api();
        String key = "ryw-" + System.nanoTime();
        Api.Response first = api.keyed("POST", "/api/v1/applications", json("name", "keyed"), key);
        Api.Response repeat = api.keyed("POST", "/api/v1/applications", json("name", "keyed"), key);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.header(TOKEN)).isNotBlank();
        String token = first.json().get("token").asString();
        for (Api reader : readers) {
            Api.Response read = read(reader, "/api/v1/applications/" + token, repeat);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void aTokenThatIsNoTokenIs400() {
        Api api = system.api();
        String token = api.createApplication("bad tokens");
        for (String path : List.of("/api/v1/applications/" + token, "/api/v1/applications/" + token + "/events",
                messagesPath(token, 1) + "/search?q=x")) {
            for (String bad : List.of("nonsense", "e-1", "%00", "e12345678901234567890", "e1 2")) {
                Api.Response header = api.send(api.queryUrl, "GET", path, null, null, Map.of(TOKEN, bad));
                assertThat(header.status()).as(path + " " + bad + ": " + header.body()).isEqualTo(400);
                assertThat(header.contentType()).startsWith("application/problem+json");
                assertThat(header.json().get("detail").asString()).contains(TOKEN);
            }
            // full-width and Arabic-Indic digits are no digits here
            for (String bad : List.of("x1", "e%EF%BC%91", "e%D9%A3", "e%0A1")) {
                Api.Response parameter = api.get(path + (path.contains("?") ? "&" : "?") + "consistency_token=" + bad);
                assertThat(parameter.status()).as(path + " " + bad + ": " + parameter.body()).isEqualTo(400);
            }
        }
    }

    /**
     * Elasticsearch frozen: the search projection cannot index the message, so a search waiting for it
     * answers 503 with Retry-After once the timeout passed, while a read of the message itself (another
     * projection) shows it at once. Last: the search projection then retries with back-off for a while.
     */
    @Test
    @Order(4)
    void aReadWhoseReadModelCannotCatchUpIs503WithinTheTimeout() {
        Api api = system.api();
        String token = api.createApplication("frozen search");
        api.createChat(token);
        try (var frozen = Frozen.freeze(system.processes(SystemUnderTest.Part.ELASTICSEARCH))) {
            Api.Response sent = api.post(messagesPath(token, 1), json("body", "unsearchable for now"));
            assertThat(sent.status()).isEqualTo(201);

            long started = System.nanoTime();
            Api.Response search = read(api, messagesPath(token, 1) + "/search?q=unsearchable", sent);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(search.status()).as(search.body()).isEqualTo(503);
            assertThat(search.header("Retry-After")).isNotNull();
            assertThat(search.contentType()).startsWith("application/problem+json");
            assertThat(took).isLessThan(TIMEOUT_BOUND);
            assertThat(read(api, messagesPath(token, 1) + "/1", sent).status()).isEqualTo(200);
        }
        // thawed, the search projection indexes it (after its back-off), for the tests that come next
        Api.eventually(() -> assertThat(api.getJson(messagesPath(token, 1) + "/search?q=unsearchable")).hasSize(1));
    }

    private static Api.Response read(Api reader, String path, Api.Response write) {
        assertThat(write.status()).as(write.body()).isBetween(200, 201);
        String token = write.header(TOKEN);
        assertThat(token).as("the write's " + TOKEN).isNotBlank();
        return reader.send(reader.queryUrl, "GET", path, null, null, Map.of(TOKEN, token));
    }

    /** Counts each read, and each that did not show what it should, by kind. */
    private record Check(Map<String, AtomicInteger> misses, AtomicInteger reads) {
        void that(String kind, Api.Response read, java.util.function.Predicate<JsonNode> shows) {
            reads.incrementAndGet();
            if (read.status() != 200 || !shows.test(read.json())) {
                misses.computeIfAbsent(kind + " (" + read.status() + ")", k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }
}
