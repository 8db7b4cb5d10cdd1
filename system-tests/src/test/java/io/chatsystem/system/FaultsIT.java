package io.chatsystem.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.chatsystem.system.SystemUnderTest.Part;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each part of the system frozen (SIGSTOP) and then killed outright (SIGKILL) and started again, while
 * clients send: clients that retry with their Idempotency-Key until they get a 201 end with exactly
 * one message per send, numbered 1..n, none lost, and counts and search converge. Loops are bounded
 * in time and count.
 */
class FaultsIT {

    private static final int CLIENTS = 8;
    /** A steady load, not a flood: a few thousand messages per run keep the checks quick. */
    private static final Duration PAUSE_BETWEEN_SENDS = Duration.ofMillis(50);
    private static final Duration STEADY = Duration.ofSeconds(2);
    private static final Duration FROZEN = Duration.ofSeconds(4);
    private static final Duration SEND_GIVE_UP = Duration.ofMinutes(2);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE = Duration.ofMinutes(2);

    private final SystemUnderTest system = SystemUnderTest.get();

    @ParameterizedTest
    @EnumSource(Part.class)
    void nothingAcknowledgedIsLostWhenAPartFreezesAndDies(Part part) throws Exception {
        Api setup = system.api();
        String token = setup.createApplication("faults of " + part);
        int chat = setup.createChat(token);
        String path = messagesPath(token, chat);

        AtomicBoolean sending = new AtomicBoolean(true);
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                for (int i = 0; sending.get(); i++) {
                    String body = "fault " + part + " client " + client + " send " + i;
                    acknowledged.put(body, sendUntilAcknowledged(path, body, part + "-" + client + "-" + i));
                    Thread.sleep(PAUSE_BETWEEN_SENDS);
                }
                return null;
            }));
        }
        try {
            Thread.sleep(STEADY);
            try (var frozen = Frozen.freeze(system.processes(part))) {
                Thread.sleep(FROZEN);
            }
            Thread.sleep(STEADY);
            system.killAndRestart(part);
            long restarted = System.nanoTime();
            int before = acknowledged.size();
            eventuallyWithin(RECOVERY, () -> assertThat(acknowledged.size()).isGreaterThan(before));
            System.out.printf("%s: first 201 %d ms after the restart%n", part, (System.nanoTime() - restarted) / 1_000_000);
            Thread.sleep(STEADY);
        } finally {
            sending.set(false);
            clients.shutdown();
        }
        for (Future<?> client : running) {
            client.get(SEND_GIVE_UP.toSeconds() + 30, TimeUnit.SECONDS);
        }

        int count = acknowledged.size();
        List<Integer> expected = IntStream.rangeClosed(1, count).boxed().toList();
        assertThat(acknowledged.values().stream().sorted().toList()).as("numbers given").isEqualTo(expected);
        Api api = system.api();
        eventuallyWithin(CONVERGENCE, () -> {
            Map<String, Integer> stored = new java.util.HashMap<>();
            api.getAll(path, 500).forEach(m -> stored.put(m.get("body").asString(), m.get("number").asInt()));
            assertThat(stored).as("every acknowledged send readable, once, with its number").isEqualTo(acknowledged);
        });
        eventuallyWithin(CONVERGENCE, () -> assertThat(api.getJson("/api/v1/applications/" + token + "/chats/" + chat)
                .get("messages_count").asInt()).isEqualTo(count));
        eventuallyWithin(CONVERGENCE, () -> assertThat(api.getAll(path + "/search?q=fault", 100)).hasSize(count));
        System.out.printf("%s: %d sends acknowledged, each stored once%n", part, count);
    }

    /**
     * Sends one message, retrying with the same Idempotency-Key after a 503, a 409, a timeout or a
     * refused connection, as a careful client does; answers the number it was given.
     */
    private int sendUntilAcknowledged(String path, String body, String key) {
        long deadline = System.nanoTime() + SEND_GIVE_UP.toNanos();
        while (true) {
            assertThat(System.nanoTime()).as("send of %s acknowledged in time", body).isLessThan(deadline);
            try {
                Api.Response answer = system.api().keyed("POST", path, json("body", body), key);
                if (answer.status() == 201) {
                    return answer.json().get("number").asInt();
                }
                assertThat(answer.status()).as(answer.body()).isIn(409, 502, 503);
            } catch (RuntimeException unreachable) {
                // the command side is frozen, dead or starting: try again
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
