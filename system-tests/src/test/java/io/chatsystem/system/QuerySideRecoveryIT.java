package io.chatsystem.system;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side may stop, crash or be rewound at any time: it catches up from the event store
 * with nothing lost and nothing doubled, because its writes are idempotent and its position is
 * committed together with them.
 */
class QuerySideRecoveryIT {

    private final SystemUnderTest system = SystemUnderTest.get();

    @Test
    void catchesUpAfterBeingStoppedWhileMessagesWereSent() {
        Api api = system.api();
        String token = api.createApplication("while away");
        int chat = api.createChat(token);

        system.stopQuerySide();
        for (int i = 1; i <= 100; i++) {
            assertThat(api.sendMessage(token, chat, "sent while the query side was down " + i)).isEqualTo(i);
        }
        int laterChat = api.createChat(token);
        api.sendMessage(token, laterChat, "in a chat created while down");
        system.startQuerySide();

        Api reader = system.api();
        eventually(() -> assertThat(numbers(reader, token, chat)).isEqualTo(range(100)));
        eventually(() -> assertThat(numbers(reader, token, laterChat)).isEqualTo(range(1)));
        assertThat(reader.getJson("/api/v1/applications/" + token + "/chats")).hasSize(2);
    }

    @Test
    void losesNothingWhenKilledWhileProjecting() throws Exception {
        Api api = system.api();
        String token = api.createApplication("crash");
        int chat = api.createChat(token);

        CompletableFuture<List<Integer>> sending = CompletableFuture.supplyAsync(() -> {
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                numbers.add(api.sendMessage(token, chat, "message " + i));
            }
            return numbers;
        });
        eventually(() -> assertThat(numbers(api, token, chat)).hasSizeGreaterThan(20));
        system.crashQuerySide();
        List<Integer> sent = sending.get();
        system.startQuerySide();

        assertThat(sent).isEqualTo(range(300));
        Api reader = system.api();
        eventually(() -> assertThat(numbers(reader, token, chat)).isEqualTo(range(300)));
    }

    @Test
    void replayingEverythingIntoTheExistingTablesChangesNothing() throws SQLException {
        Api api = system.api();
        String token = api.createApplication("replayed");
        api.createChat(token);
        api.createChat(token);
        for (int i = 1; i <= 20; i++) {
            api.sendMessage(token, 1 + i % 2, "message " + i + " 😀");
        }
        api.put(messagesPath(token, 1) + "/1", Api.json("body", "edited"));
        api.put("/api/v1/applications/" + token, Api.json("name", "renamed"));
        eventually(() -> assertThat(api.getJson(messagesPath(token, 1) + "/1").get("body").asString())
                .isEqualTo("edited"));
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token).get("name").asString())
                .isEqualTo("renamed"));
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token).get("chats_count").asInt())
                .isEqualTo(2));
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token + "/chats")
                .findValues("messages_count").stream().map(n -> n.asInt()).toList()).containsExactly(10, 10));
        String before = ReadModelSnapshot.of(api, null, "marker");

        // every event is delivered a second time: the processors start over from the first event
        system.stopQuerySide();
        try (var connection = system.connectToDatabase()) {
            connection.createStatement().executeUpdate("DELETE FROM token_entry");
        }
        system.startQuerySide();
        Api reader = system.api();
        // a marker after everything: once every segment of every projection has reached the head of the
        // event stream (each segment processes its aggregates' events in order, but the segments run side
        // by side), everything before it was processed again
        String marker = reader.createApplication("marker");
        int markerChat = reader.createChat(marker);
        reader.sendMessage(marker, markerChat, "marker");
        eventually(() -> assertThat(reader.get(messagesPath(marker, markerChat) + "/1").status()).isEqualTo(200));
        eventually(() -> assertThat(reader.get("/api/v1/applications/" + marker).status()).isEqualTo(200));
        eventually(() -> assertThat(reader.admin("GET", "/admin/projections", SystemUnderTest.ADMIN_PASSWORD).json()
                .findValues("lag").stream().map(lag -> lag.isNull() ? -1 : lag.asLong()).toList())
                .as("every projection's lag").containsOnly(0L));
        // and the count figures of the marker were flushed, so the replayed ones were too
        eventually(() -> assertThat(reader.getJson("/api/v1/applications/" + marker + "/chats/" + markerChat)
                .get("messages_count").asInt()).isEqualTo(1));

        assertThat(ReadModelSnapshot.of(reader, null, "marker")).isEqualTo(before);
    }

    private static List<Integer> numbers(Api api, String token, int chat) {
        return api.getAll(messagesPath(token, chat), 500).stream().map(m -> m.get("number").asInt()).toList();
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
