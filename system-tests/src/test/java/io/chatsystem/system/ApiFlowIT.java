package io.chatsystem.system;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/** A client's way through the API: application, chats, messages, rename, edit, read back. */
class ApiFlowIT {

    private final Api api = SystemUnderTest.get().api();

    @Test
    void createsAndReadsBackApplicationsChatsAndMessages() {
        Api.Response created = api.post("/api/v1/applications", json("name", "  Support desk  "));
        assertThat(created.status()).isEqualTo(201);
        JsonNode app = created.json();
        String token = app.get("token").asString();
        assertThat(app.get("name").asString()).isEqualTo("Support desk");
        assertThat(app.get("chats_count").asInt()).isZero();
        assertThat(app.propertyNames()).containsExactlyInAnyOrder("token", "name", "chats_count");

        assertThat(List.of(api.createChat(token), api.createChat(token), api.createChat(token)))
                .containsExactly(1, 2, 3);
        // the write side never waits for a read model: a message goes to the chat right away
        assertThat(api.sendMessage(token, 2, "Hello, World!")).isEqualTo(1);
        assertThat(api.sendMessage(token, 2, "Ünïcödé and emoji 😀👍")).isEqualTo(2);
        assertThat(api.sendMessage(token, 2, "third")).isEqualTo(3);
        assertThat(api.sendMessage(token, 1, "other chat")).isEqualTo(1);

        eventually(() -> assertThat(api.get("/api/v1/applications/" + token).status()).isEqualTo(200));
        JsonNode readApp = api.getJson("/api/v1/applications/" + token);
        assertThat(readApp.get("name").asString()).isEqualTo("Support desk");
        assertThat(readApp.propertyNames()).containsExactlyInAnyOrder("token", "name", "chats_count");

        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token + "/chats")).hasSize(3));
        JsonNode chats = api.getJson("/api/v1/applications/" + token + "/chats");
        assertThat(chats.findValues("number").stream().map(JsonNode::asInt)).containsExactly(1, 2, 3);
        assertThat(chats.get(0).propertyNames()).containsExactlyInAnyOrder("number", "messages_count");
        assertThat(api.getJson("/api/v1/applications/" + token + "/chats/2").get("number").asInt()).isEqualTo(2);

        eventually(() -> assertThat(api.getJson(messagesPath(token, 2))).hasSize(3));
        JsonNode messages = api.getJson(messagesPath(token, 2));
        assertThat(messages.findValues("number").stream().map(JsonNode::asInt)).containsExactly(1, 2, 3);
        assertThat(messages.findValues("body").stream().map(JsonNode::asString))
                .containsExactly("Hello, World!", "Ünïcödé and emoji 😀👍", "third");
        JsonNode second = api.getJson(messagesPath(token, 2) + "/2");
        assertThat(second.get("body").asString()).isEqualTo("Ünïcödé and emoji 😀👍");
        assertThat(second.get("created_at").asString()).isNotBlank();
        assertThat(second.propertyNames()).contains("number", "body", "created_at").doesNotContain("id");
        assertThat(api.getJson(messagesPath(token, 1))).hasSize(1);
    }

    @Test
    void renamesAnApplication() {
        String token = api.createApplication("before");
        api.createChat(token);

        Api.Response renamed = api.put("/api/v1/applications/" + token, json("name", " after "));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asString()).isEqualTo("after");
        assertThat(renamed.json().get("chats_count").asInt()).isEqualTo(1);
        eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token).get("name").asString())
                .isEqualTo("after"));
    }

    @Test
    void editsAMessage() {
        String token = api.createApplication("edits");
        int chat = api.createChat(token);
        api.sendMessage(token, chat, "typo");
        api.sendMessage(token, chat, "untouched");

        Api.Response edited = api.put(messagesPath(token, chat) + "/1", json("body", "fixed"));

        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("number").asInt()).isEqualTo(1);
        assertThat(edited.json().get("body").asString()).isEqualTo("fixed");
        eventually(() -> assertThat(api.getJson(messagesPath(token, chat) + "/1").get("body").asString())
                .isEqualTo("fixed"));
        JsonNode message = api.getJson(messagesPath(token, chat) + "/1");
        assertThat(message.get("updated_at").isNull()).isFalse();
        assertThat(api.getJson(messagesPath(token, chat) + "/2").get("body").asString()).isEqualTo("untouched");
        // an edit is not a new message
        assertThat(api.sendMessage(token, chat, "next")).isEqualTo(3);
    }

    @Test
    void refusedWritesConsumeNoNumber() {
        String token = api.createApplication("gapless");
        int chat = api.createChat(token);
        api.sendMessage(token, chat, "one");

        assertThat(api.post(messagesPath(token, chat), json("body", " ")).status()).isEqualTo(422);
        assertThat(api.post(messagesPath(token, chat), json("body", "x".repeat(10_001))).status()).isEqualTo(422);
        assertThat(api.post(messagesPath(token, chat + 1), json("body", "no chat")).status()).isEqualTo(404);
        assertThat(api.put("/api/v1/applications/" + token, json("name", "")).status()).isEqualTo(422);

        assertThat(api.sendMessage(token, chat, "two")).isEqualTo(2);
        assertThat(api.createChat(token)).isEqualTo(2);
    }

    @Test
    void acceptsABodyOfExactlyTheMaximumLength() {
        String token = api.createApplication("long");
        int chat = api.createChat(token);
        String body = "😀".repeat(10_000);

        int number = api.sendMessage(token, chat, body);

        eventually(() -> assertThat(api.get(messagesPath(token, chat) + "/" + number).status()).isEqualTo(200));
        assertThat(api.getJson(messagesPath(token, chat) + "/" + number).get("body").asString()).isEqualTo(body);
    }

    @Test
    void listsArePagedAndOrderedByNumber() {
        String token = api.createApplication("pages");
        int chat = api.createChat(token);
        for (int i = 1; i <= 7; i++) {
            api.sendMessage(token, chat, "m" + i);
        }
        // all seven projected (they may arrive in more than one projection batch), then page through them
        eventually(() -> assertThat(api.getJson(messagesPath(token, chat))).hasSize(7));
        assertThat(api.getJson(messagesPath(token, chat) + "?page=2&size=3")
                .findValues("number").stream().map(JsonNode::asInt)).containsExactly(4, 5, 6);
        assertThat(api.getJson(messagesPath(token, chat) + "?page=3&size=3").findValues("number").stream()
                .map(JsonNode::asInt)).containsExactly(7);
        assertThat(api.getJson(messagesPath(token, chat) + "?page=4&size=3")).isEmpty();
        assertThat(api.getJson(messagesPath(token, chat))).hasSize(7);
        assertThat(api.getAll(messagesPath(token, chat), 2)).hasSize(7);

        List<JsonNode> applications = api.asOperator(SystemUnderTest.ADMIN_PASSWORD).getAll("/api/v1/applications", 100);
        assertThat(applications.stream().map(a -> a.get("token").asString())).contains(token).doesNotHaveDuplicates();
    }
}
