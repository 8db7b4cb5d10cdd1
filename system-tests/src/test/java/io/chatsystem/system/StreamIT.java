package io.chatsystem.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.messagesPath;
import static io.chatsystem.system.EventStream.ids;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chat's live stream (Server-Sent Events) as a client reads it over HTTP: every message once, in
 * number order, across the switch from stored to live, across reconnections and across a replay.
 */
class StreamIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** After the last expected event: long enough for a duplicate to show up. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void aSubscriberReceivesEveryMessageOnceAndInOrderWhileSixteenClientsSend() throws Exception {
        String token = api.createApplication("streamed chat");
        int chat = readableChat(token);
        try (EventStream stream = open(token, chat, "", Map.of()).awaitOpen()) {
            Parallel.run(200, 16, i -> api.sendMessage(token, chat, "message " + i));

            List<EventStream.Event> events = stream.take(200, WAIT);
            assertThat(ids(events)).isEqualTo(range(1, 200));
            assertThat(events).allMatch(event -> event.type().equals("message"));
            assertThat(stream.extra(QUIET)).isEmpty();
            // each event is shaped exactly like the message in the list
            List<JsonNode> listed = api.getAll(messagesPath(token, chat), 500);
            assertThat(events.stream().map(EventStream.Event::data).toList()).isEqualTo(listed);
        }
    }

    @Test
    void aSubscriberThatReconnectsWithLastEventIdGetsTheRestExactlyOnce() throws Exception {
        String token = api.createApplication("resumed stream");
        int chat = readableChat(token);
        CompletableFuture<List<Integer>> sending;
        try (EventStream first = open(token, chat, "?after=0", Map.of()).awaitOpen()) {
            sending = CompletableFuture.supplyAsync(() -> Parallel.run(200, 16, i -> api.sendMessage(token, chat, "m" + i)));
            assertThat(ids(first.take(50, WAIT))).isEqualTo(range(1, 50));
        }
        try (EventStream second = open(token, chat, "", Map.of("Last-Event-ID", "50"))) {
            assertThat(sending.join()).hasSize(200);
            assertThat(ids(second.take(150, WAIT))).isEqualTo(range(51, 200));
            assertThat(second.extra(QUIET)).isEmpty();
        }
    }

    @Test
    void storedMessagesAfterThePositionComeFirst() throws Exception {
        String token = api.createApplication("stored then live");
        int chat = readableChat(token);
        for (int i = 1; i <= 5; i++) {
            api.sendMessage(token, chat, "stored " + i);
        }
        Api.eventually(() -> assertThat(api.get(messagesPath(token, chat) + "/5").status()).isEqualTo(200));
        try (EventStream stream = open(token, chat, "?after=2", Map.of())) {
            assertThat(ids(stream.take(3, WAIT))).isEqualTo(range(3, 5));
            api.sendMessage(token, chat, "live");
            EventStream.Event live = stream.take(1, WAIT).getFirst();
            assertThat(live.id()).isEqualTo(6);
            assertThat(live.data().get("body").asString()).isEqualTo("live");
        }
    }

    /** Proxies close a response that stays silent: an idle stream sends a comment every heartbeat (2 s here). */
    @Test
    void anIdleStreamSendsACommentEveryHeartbeat() throws Exception {
        String token = api.createApplication("idle stream");
        int chat = readableChat(token);
        try (EventStream stream = open(token, chat, "", Map.of()).awaitOpen()) {
            for (int beat = 1; beat <= 2; beat++) {
                assertThat(stream.comment(Duration.ofSeconds(6))).as("idle comment %d", beat).isEqualTo(":");
            }
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void anEditArrivesAsMessageEdited() throws Exception {
        String token = api.createApplication("edited stream");
        int chat = readableChat(token);
        try (EventStream stream = open(token, chat, "?after=0", Map.of()).awaitOpen()) {
            api.sendMessage(token, chat, "typo");
            assertThat(stream.take(1, WAIT).getFirst().type()).isEqualTo("message");
            assertThat(api.put(messagesPath(token, chat) + "/1", Api.json("body", "fixed")).status()).isEqualTo(200);

            EventStream.Event edited = stream.take(1, WAIT).getFirst();
            assertThat(edited.type()).isEqualTo("message_edited");
            assertThat(edited.id()).isEqualTo(1);
            assertThat(edited.data().get("body").asString()).isEqualTo("fixed");
            assertThat(edited.data()).isEqualTo(api.getJson(messagesPath(token, chat) + "/1"));
        }
    }

    @Test
    void anUnknownChatOrABadPositionIsAProblemBeforeAnyStream() throws Exception {
        String token = api.createApplication("no such chat");
        try (EventStream missing = open(token, 7, "", Map.of())) {
            assertThat(missing.status).isEqualTo(404);
            assertThat(missing.contentType).startsWith("application/problem+json");
        }
        try (EventStream missing = open("no-such-token", 1, "", Map.of())) {
            assertThat(missing.status).isEqualTo(404);
        }
        int chat = readableChat(token);
        try (EventStream bad = open(token, chat, "", Map.of("Last-Event-ID", "fifty"))) {
            assertThat(bad.status).isEqualTo(400);
            assertThat(bad.contentType).startsWith("application/problem+json");
        }
    }

    /**
     * A replay rebuilds the messages table under an open stream: the stream goes on without repeating
     * anything, and a client that resumes by id afterwards gets only what it had not seen.
     */
    @Test
    void theStreamSurvivesAReplayOfTheMessagesProjection() throws Exception {
        String token = api.createApplication("stream through a replay");
        int chat = readableChat(token);
        try (EventStream stream = open(token, chat, "?after=0", Map.of()).awaitOpen()) {
            for (int i = 1; i <= 20; i++) {
                api.sendMessage(token, chat, "before " + i);
            }
            assertThat(ids(stream.take(20, WAIT))).isEqualTo(range(1, 20));

            assertThat(api.admin("POST", "/admin/projections/messages/replay", SystemUnderTest.ADMIN_PASSWORD).status())
                    .isEqualTo(202);
            for (int i = 21; i <= 40; i++) {
                api.sendMessage(token, chat, "during " + i);
            }
            assertThat(ids(stream.take(20, WAIT))).isEqualTo(range(21, 40));
            assertThat(stream.extra(QUIET)).isEmpty();
        }
        try (EventStream resumed = open(token, chat, "", Map.of("Last-Event-ID", "40")).awaitOpen()) {
            api.sendMessage(token, chat, "after");
            assertThat(ids(resumed.take(1, WAIT))).containsExactly(41);
            assertThat(resumed.extra(QUIET)).isEmpty();
        }
    }

    /** A new chat, once the query side knows it (a stream of an unknown chat is a 404). */
    private int readableChat(String token) {
        int chat = api.createChat(token);
        Api.eventually(() -> assertThat(api.get("/api/v1/applications/" + token + "/chats/" + chat).status())
                .isEqualTo(200));
        return chat;
    }

    private EventStream open(String token, int chat, String query, Map<String, String> headers) {
        return EventStream.open(system.api().queryUrl, messagesPath(token, chat) + "/stream" + query, headers);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
