package io.chatsystem.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database frozen (SIGSTOP) for 15 s under 16 clients: every request answers promptly, with a 503 and
 * Retry-After where it needs the database (never a 500, never a hang), the API comes back by itself
 * once it thaws, and clients that retry with their Idempotency-Key end with each message exactly once.
 */
class FailFastIT {

    private static final int CLIENTS = 16;
    private static final java.time.Duration FREEZE = java.time.Duration.ofSeconds(15);
    /** Bounds each client's loop in count as well as in time. */
    private static final int MAX_SENDS_PER_CLIENT = 40;
    /** Calls into a store are cut off after 2.5 s; this bound adds room for a loaded 2-core machine. */
    private static final long ANSWER_BOUND_MILLIS = 4_000;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void aFrozenDatabaseGivesFast503sAndRetriedSendsLandExactlyOnce() {
        String token = api.createApplication("frozen database");
        int chat = api.createChat(token);
        String path = messagesPath(token, chat);
        eventually(() -> assertThat(api.get(path).status()).isEqualTo(200));

        Map<String, String> keyOfBody = new ConcurrentHashMap<>();
        List<Long> millisTo503 = Collections.synchronizedList(new ArrayList<>());
        try (var frozen = system.freezeDatabase()) {
            long thaw = System.nanoTime() + FREEZE.toNanos();
            Parallel.run(CLIENTS, CLIENTS, client -> {
                for (int i = 0; i < MAX_SENDS_PER_CLIENT && System.nanoTime() < thaw; i++) {
                    String body = "client " + client + " message " + i;
                    String key = UUID.randomUUID().toString();
                    keyOfBody.put(body, key);
                    long started = System.nanoTime();
                    Api.Response sent = api.keyed("POST", path, json("body", body), key);
                    long sentAt = System.nanoTime();
                    Api.Response read = api.get(path);
                    millisTo503.add((System.nanoTime() - sentAt) / 1_000_000);
                    // on Axon Server the command side needs no database: its writes go on
                    assertThat(sent.status()).as(sent.body()).isIn(system.onAxonServer() ? List.of(201, 503) : List.of(503));
                    assertThat(read.status()).as(read.body()).isEqualTo(503);
                    assertThat(read.header("Retry-After")).isNotNull();
                    assertThat(read.contentType()).startsWith("application/problem+json");
                    if (sent.status() == 503) {
                        assertThat(sent.header("Retry-After")).isNotNull();
                        millisTo503.add((sentAt - started) / 1_000_000);
                    }
                }
                return null;
            });
        }
        List<Long> sorted = millisTo503.stream().sorted().toList();
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("frozen database: %d requests answered 503, p50 %d ms, p99 %d ms, max %d ms%n",
                sorted.size(), sorted.get(sorted.size() / 2), p99, sorted.getLast());
        assertThat(sorted.getLast()).as("slowest answer while frozen").isLessThan(2 * ANSWER_BOUND_MILLIS);
        assertThat(p99).isLessThan(ANSWER_BOUND_MILLIS);

        // thawed: the API answers again by itself, and every retried send lands once
        long thawed = System.nanoTime();
        List<Map.Entry<String, String>> retries = new ArrayList<>(keyOfBody.entrySet());
        eventuallyWithin(java.time.Duration.ofSeconds(30), () -> assertThat(api.keyed("POST", path,
                json("body", retries.getFirst().getKey()), retries.getFirst().getValue()).status()).isEqualTo(201));
        System.out.printf("first 201 %d ms after the thaw%n", (System.nanoTime() - thawed) / 1_000_000);
        eventuallyWithin(java.time.Duration.ofSeconds(30), () -> assertThat(api.get(path).status()).isEqualTo(200));
        keyOfBody.forEach((body, key) -> eventuallyWithin(java.time.Duration.ofSeconds(30),
                () -> assertThat(api.keyed("POST", path, json("body", body), key).status()).isEqualTo(201)));
        List<String> expected = keyOfBody.keySet().stream().sorted().toList();
        eventually(() -> assertThat(api.getAll(path, 500).stream().map(m -> m.get("body").asString()).sorted().toList())
                .as("each logical send exactly once").isEqualTo(expected));
        List<String> stored = api.getAll(path, 500).stream().map(m -> m.get("body").asString()).toList();
        System.out.printf("%d logical sends, %d stored, %d doubled%n", expected.size(), stored.size(),
                stored.size() - stored.stream().distinct().count());
        List<Integer> numbers = api.getAll(path, 500).stream().map(m -> m.get("number").asInt()).toList();
        assertThat(numbers).isEqualTo(java.util.stream.IntStream.rangeClosed(1, expected.size()).boxed().toList());
    }
}
