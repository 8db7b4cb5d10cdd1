package io.chatsystem.system;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.Gateway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two command sides and two query sides behind the local gateway, as {@code bin/run-local
 * --command-sides=2 --query-sides=2} runs them: numbers stay gapless, the query sides share every
 * projection's segments, replays asked of either run while both keep running, and a killed query
 * side's segments are taken over by the other, then shared again once it is back.
 */
class ScaleOutIT {

    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;
    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(3);
    /** Longest a survivor may take to hold a killed instance's segments (its claims time out after 10 s). */
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(30);
    private static final int CHATS = 4;
    /** Well within the minute after which an idle stream reads the table by itself. */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(30);
    private static final Duration LIVE_WAIT = Duration.ofSeconds(10);

    private final SystemUnderTest system = SystemUnderTest.get();

    /**
     * One run through it all, as the query-side processes are the slow part to start: 32 clients send
     * through the gateway while every projection is replayed, then one query side is killed mid-load.
     */
    @Test
    void twoOfEachSideKeepNumbersGaplessReplayWithoutStoppingAndTakeOverAKilledOne() throws Exception {
        system.ensureCommandSides(2);
        Api first = direct(system.querySideUrl());
        AppProcess second = system.startExtraQuerySide();
        try (Gateway gateway = Gateway.start("127.0.0.1", 0,
                system.commandSideUrls().stream().map(URI::create).toList(),
                List.of(URI.create(system.querySideUrl()), URI.create(second.baseUrl())))) {
            Api api = new Api(gateway.url(), gateway.url());
            Api other = direct(second.baseUrl());
            awaitShared(first, system.querySideProcess(), second.handle());

            String token = api.createApplication("scaled out");
            for (int chat = 1; chat <= CHATS; chat++) {
                api.createChat(token);
            }
            eventually(() -> assertThat(first.get("/api/v1/applications/" + token + "/chats/1").status()).isEqualTo(200));
            // a live stream of chat 1 on each instance: only one of them projects the chat's messages
            List<EventStream> streams = List.of(
                    EventStream.open(system.querySideUrl(), messagesPath(token, 1) + "/stream", Map.of()).awaitOpen(),
                    EventStream.open(second.baseUrl(), messagesPath(token, 1) + "/stream", Map.of()).awaitOpen());
            CompletableFuture<List<List<Integer>>> sending = CompletableFuture.supplyAsync(() ->
                    Parallel.run(32, 32, client -> {
                        List<Integer> numbers = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            numbers.add(api.sendMessage(token, chat(client), "scaled " + client + "/" + i));
                        }
                        return numbers;
                    }));
            eventually(() -> assertThat(api.getJson(messagesPath(token, 1))).hasSizeGreaterThan(5));

            // each projection, asked of either instance in turn, while the sends go on; none stops an instance
            List<String> projections = first.admin("GET", "/admin/projections", PASSWORD).json()
                    .findValues("name").stream().map(JsonNode::asString).toList();
            assertThat(projections).hasSize(5);
            for (int i = 0; i < projections.size(); i++) {
                Api asked = i % 2 == 0 ? first : other;
                Api.Response replay = asked.admin("POST", "/admin/projections/" + projections.get(i) + "/replay", PASSWORD);
                assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            }
            awaitReplayed(first, other);
            // then all of them, asked of both instances at once: one carries it out, the other is refused
            List<Api.Response> both = Parallel.run(2, 2, i -> (i == 0 ? first : other)
                    .admin("POST", "/admin/projections/replay", PASSWORD));
            assertThat(both.stream().map(Api.Response::status).sorted().toList()).as("%s", both).containsExactly(202, 409);
            assertThat(both.stream().filter(r -> r.status() == 409).findFirst().orElseThrow().contentType())
                    .isEqualTo("application/problem+json");
            awaitReplayed(first, other);

            List<List<Integer>> sent = sending.get(3, TimeUnit.MINUTES);
            Map<Integer, List<Integer>> numbersByChat = new TreeMap<>();
            for (int client = 0; client < sent.size(); client++) {
                numbersByChat.computeIfAbsent(chat(client), c -> new ArrayList<>()).addAll(sent.get(client));
            }
            numbersByChat.forEach((chat, numbers) -> assertThat(numbers.stream().sorted().toList())
                    .as("numbers of chat %d", chat).isEqualTo(range(numbers.size())));
            int inChatOne = numbersByChat.get(1).size();
            for (EventStream stream : streams) {
                assertThat(EventStream.ids(stream.take(inChatOne, STREAM_WAIT)))
                        .as("the stream on either instance").isEqualTo(range(inChatOne));
            }
            // and each new message promptly on both, not when an idle stream next reads the table
            awaitShared(first, system.querySideProcess(), second.handle());
            for (int i = 0; i < 5; i++) {
                int number = api.sendMessage(token, 1, "scaled live " + i);
                for (EventStream stream : streams) {
                    assertThat(EventStream.ids(stream.take(1, LIVE_WAIT))).containsExactly(number);
                }
            }
            streams.forEach(EventStream::close);

            // the read API, through both instances, answers exactly what the event store holds
            eventuallyWithin(REPLAY_TIMEOUT, () -> {
                for (int chat = 1; chat <= CHATS; chat++) {
                    List<String> stored = first.getAll("/api/v1/applications/" + token + "/chats/" + chat + "/events", 500)
                            .stream().map(event -> event.get("payload"))
                            .map(payload -> payload.get("message_number").asInt() + " " + payload.get("body").asString())
                            .toList();
                    for (Api reader : List.of(first, other)) {
                        assertThat(reader.getAll(messagesPath(token, chat), 500).stream()
                                .map(m -> m.get("number").asInt() + " " + m.get("body").asString()).toList())
                                .as("chat %d", chat).isEqualTo(stored);
                        assertThat(reader.getJson("/api/v1/applications/" + token + "/chats/" + chat)
                                .get("messages_count").asInt()).isEqualTo(stored.size());
                        assertThat(reader.getAll(messagesPath(token, chat) + "/search?q=scaled", 100).stream()
                                .map(m -> m.get("number").asInt()).sorted().toList()).isEqualTo(range(stored.size()));
                    }
                }
                assertThat(first.getJson("/api/v1/applications/" + token).get("chats_count").asInt()).isEqualTo(CHATS);
            });
            assertThat(second.isAlive()).as("no instance was stopped").isTrue();
            assertThat(system.querySideProcess().isAlive()).isTrue();

            // one query side killed while a client sends: the other takes over its segments
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<List<Integer>> sendingOn = CompletableFuture.supplyAsync(() -> {
                List<Integer> numbers = new ArrayList<>();
                while (!stop.get()) {
                    numbers.add(api.sendMessage(token, CHATS, "during the takeover " + numbers.size()));
                }
                return numbers;
            });
            try {
                awaitShared(first, system.querySideProcess(), second.handle());
                long killedAt = System.nanoTime();
                second.kill();
                eventuallyWithin(TAKEOVER_LIMIT, () -> assertThat(owners(first)).as("owners of every projection's segments")
                        .allSatisfy((projection, owners) -> assertThat(owners).containsOnly(owner(system.querySideProcess()))));
                System.out.printf("[scale-out] the surviving query side held every segment %.1f s after the other was killed%n",
                        (System.nanoTime() - killedAt) / 1e9);
                // and once it is back, the two share them again
                try (AppProcess restarted = system.startExtraQuerySide()) {
                    awaitShared(first, system.querySideProcess(), restarted.handle());
                    stop.set(true);
                    List<Integer> numbers = sendingOn.get(1, TimeUnit.MINUTES);
                    int before = numbersByChat.get(CHATS).size();
                    assertThat(numbers).isEqualTo(IntStream.rangeClosed(before + 1, before + numbers.size()).boxed().toList());
                    Api reader = direct(restarted.baseUrl());
                    eventually(() -> assertThat(reader.getAll(messagesPath(token, CHATS), 500).stream()
                            .map(m -> m.get("number").asInt()).toList()).isEqualTo(range(before + numbers.size())));
                }
            } finally {
                stop.set(true);
            }
        } finally {
            second.close();
        }
    }

    /** Waits until each of the two instances holds a segment of every projection. */
    private static void awaitShared(Api admin, ProcessHandle one, ProcessHandle two) {
        eventuallyWithin(Duration.ofSeconds(60), () -> assertThat(owners(admin)).as("owners of every projection's segments")
                .hasSize(5)
                .allSatisfy((projection, owners) -> assertThat(owners).containsExactlyInAnyOrder(owner(one), owner(two))));
    }

    /** Each projection's segment owners, as the token store has them (pid@host, Axon's default name). */
    private static Map<String, Set<String>> owners(Api admin) {
        Map<String, Set<String>> owners = new TreeMap<>();
        for (JsonNode projection : admin.admin("GET", "/admin/projections", PASSWORD).json()) {
            Set<String> holders = new TreeSet<>();
            for (JsonNode segment : projection.get("segments")) {
                JsonNode owner = segment.get("owner");
                holders.add(owner == null || owner.isNull() ? "nobody" : owner.asString().split("@")[0]);
            }
            owners.put(projection.get("name").asString(), holders);
        }
        return owners;
    }

    private static String owner(ProcessHandle process) {
        return Long.toString(process.pid());
    }

    private static void awaitReplayed(Api... instances) {
        for (Api instance : instances) {
            eventuallyWithin(REPLAY_TIMEOUT, () -> assertThat(instance.admin("GET", "/admin/projections", PASSWORD).json()
                    .findValues("replaying").stream().map(JsonNode::asBoolean).toList()).containsOnly(false));
        }
    }

    private static Api direct(String querySideUrl) {
        return new Api(querySideUrl, querySideUrl);
    }

    private static int chat(int client) {
        return client % CHATS + 1;
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
