package io.chatsystem.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start with Redis empty never strands a projection. A query side that starts while Redis holds no
 * count figures (Redis restarted without persistence, or flushed) rebuilds them from the event store by
 * itself, while it starts up. Five times over, the query side is stopped, Redis emptied and the query
 * side started again, and one more message (and every other time a chat) is written after the start.
 *
 * <p>What it proves, after every such start: within 30 s the {@code chats_count} of each application and
 * the {@code messages_count} of each chat are right, in the application, in the chat list and in the chat,
 * the writes after the start included; every segment of every projection's live version is held by the
 * running query side and no projection is in error; the query side's health is UP; and the rebuild the
 * start began finishes, none left running.
 */
class StartUpRebuildIT {

    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;
    private static final List<String> PROJECTIONS = List.of("applications", "chats", "counts", "messages", "search");
    private static final int STARTS = 5;
    /** {@code PROJECTION_SEGMENTS} of the system under test. */
    private static final int SEGMENTS = 2;
    private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);
    private static final Duration REBUILD_LIMIT = Duration.ofMinutes(2);

    private final SystemUnderTest system = SystemUnderTest.get();
    /** Each application's chats in order, as the number of messages sent to each. */
    private final Map<String, List<Integer>> messagesSent = new LinkedHashMap<>();

    @Test
    void everyStartWithRedisEmptyEndsWithEveryProjectionOwnedAndTheCountsRight() {
        Api writer = system.api();
        String first = application(writer, "start-up rebuild first", 6, 2, 0);
        String second = application(writer, "start-up rebuild second", 3);
        eventually(() -> assertCountsRight(system.api()));

        for (int start = 1; start <= STARTS; start++) {
            system.stopQuerySide();
            try {
                assertThat(system.redis("FLUSHALL")).isEqualTo("+OK");
            } finally {
                system.startQuerySide();
            }
            long startedAt = System.nanoTime();
            Api api = system.api();
            ProcessHandle querySide = system.querySideProcess();

            List<Integer> firstChats = messagesSent.get(first);
            int chat = (start - 1) % firstChats.size() + 1;
            api.sendMessage(first, chat, "after start " + start);
            firstChats.set(chat - 1, firstChats.get(chat - 1) + 1);
            if (start % 2 == 0) {
                assertThat(api.createChat(second)).isEqualTo(messagesSent.get(second).size() + 1);
                messagesSent.get(second).add(0);
            }

            eventuallyWithin(SETTLED_WITHIN, () -> {
                assertCountsRight(api);
                assertEveryLiveSegmentHeldBy(api, querySide);
                assertHealthUp(api);
            });
            double settled = (System.nanoTime() - startedAt) / 1e9;
            eventuallyWithin(REBUILD_LIMIT, () -> assertNoRebuildRunning(api));
            System.out.printf("[start-up rebuild] start %d with Redis empty: settled in %.1f s, no rebuild left after %.1f s%n",
                    start, settled, (System.nanoTime() - startedAt) / 1e9);
        }
    }

    /** An application with as many chats as {@code messages} has numbers, each sent that many messages. */
    private String application(Api writer, String name, int... messages) {
        String token = writer.createApplication(name);
        List<Integer> chats = new ArrayList<>();
        for (int count : messages) {
            int chat = writer.createChat(token);
            for (int i = 1; i <= count; i++) {
                writer.sendMessage(token, chat, "before the starts " + i);
            }
            chats.add(count);
        }
        messagesSent.put(token, chats);
        return token;
    }

    private void assertCountsRight(Api api) {
        messagesSent.forEach((token, chats) -> {
            String application = "/api/v1/applications/" + token;
            assertThat(api.getJson(application).get("chats_count").asInt())
                    .as("chats_count of %s", token).isEqualTo(chats.size());
            assertThat(api.getJson(application + "/chats?size=500").findValues("messages_count").stream()
                    .map(JsonNode::asInt).toList())
                    .as("messages_count in the chat list of %s", token).isEqualTo(chats);
            for (int chat = 1; chat <= chats.size(); chat++) {
                assertThat(api.getJson(application + "/chats/" + chat).get("messages_count").asInt())
                        .as("messages_count of chat %s/%d", token, chat).isEqualTo(chats.get(chat - 1));
            }
            assertThat(api.getJson(messagesPath(token, 1) + "?size=500")).as("messages of %s/1", token)
                    .hasSize(chats.getFirst());
        });
    }

    /**
     * Every projection is listed and not in error, and each segment of its live version is owned by the running
     * query side (owners are named pid@host, Axon's default): none unowned, none left to the stopped one.
     */
    private static void assertEveryLiveSegmentHeldBy(Api api, ProcessHandle querySide) {
        Api.Response answer = api.admin("GET", "/admin/projections", PASSWORD);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode projections = answer.json();
        List<String> names = new ArrayList<>();
        projections.forEach(projection -> names.add(projection.get("name").asString()));
        assertThat(names).as("projections in %s", answer.body()).containsExactlyInAnyOrderElementsOf(PROJECTIONS);
        String pid = Long.toString(querySide.pid());
        for (JsonNode projection : projections) {
            String name = projection.get("name").asString();
            assertThat(projection.get("error").asBoolean()).as("%s in error: %s", name, projection).isFalse();
            JsonNode live = projection.get("live");
            assertThat(live != null && !live.isNull()).as("%s has a live version: %s", name, projection).isTrue();
            JsonNode segments = live.get("segments");
            assertThat(segments).as("segments of the live version of %s: %s", name, projection).hasSize(SEGMENTS);
            for (JsonNode segment : segments) {
                JsonNode owner = segment.get("owner");
                assertThat(owner == null || owner.isNull() ? null : owner.asString().split("@")[0])
                        .as("owner of segment %s of the live version of %s (the query side is %s): %s",
                                segment.get("segment"), name, pid, projection)
                        .isEqualTo(pid);
            }
        }
    }

    private static void assertHealthUp(Api api) {
        Api.Response health = api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(api.queryUrl, "GET", "/actuator/health", null, null);
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).as(health.body()).isEqualTo("UP");
    }

    private static void assertNoRebuildRunning(Api api) {
        for (JsonNode projection : api.admin("GET", "/admin/projections", PASSWORD).json()) {
            JsonNode rebuilding = projection.get("rebuilding");
            assertThat(projection.get("replaying").asBoolean()).as("replaying: %s", projection).isFalse();
            assertThat(rebuilding == null || rebuilding.isNull()).as("rebuilding: %s", projection).isTrue();
        }
    }
}
