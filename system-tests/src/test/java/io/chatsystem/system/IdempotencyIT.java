package io.chatsystem.system;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency-Key: a repeat gets the first answer and writes nothing, the same key with another request
 * is a 422, and the aggregates remember keys from their own events: across a restart and on another
 * command-side instance too.
 */
class IdempotencyIT {

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void aRepeatedSendGetsTheFirstAnswerAndWritesNothing() {
        String token = api.createApplication("keyed sends");
        int chat = api.createChat(token);
        String path = messagesPath(token, chat);
        String key = UUID.randomUUID().toString();

        Api.Response first = api.keyed("POST", path, json("body", "only once"), key);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        api.sendMessage(token, chat, "someone else's message");
        Api.Response again = api.keyed("POST", path, json("body", "only once"), key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());

        Api.Response other = api.keyed("POST", path, json("body", "another text"), key);
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");

        eventually(() -> assertThat(bodies(token, chat)).containsExactly("only once", "someone else's message"));
    }

    @Test
    void concurrentRequestsWithOneKeyWriteOnce() {
        String token = api.createApplication("keyed in parallel");
        int chat = api.createChat(token);
        String key = UUID.randomUUID().toString();

        List<Api.Response> answers = Parallel.run(16, 16,
                i -> api.keyed("POST", messagesPath(token, chat), json("body", "raced"), key));
        for (Api.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isIn(201, 409);
            if (answer.status() == 201) {
                assertThat(answer.json().get("number").asInt()).isEqualTo(1);
            }
        }
        assertThat(answers).anyMatch(answer -> answer.status() == 201);
        eventually(() -> assertThat(bodies(token, chat)).containsExactly("raced"));
    }

    @Test
    void everyWriteIsIdempotentWithAKey() {
        String name = "keyed application " + UUID.randomUUID();
        String createKey = UUID.randomUUID().toString();
        Api.Response created = api.keyed("POST", "/api/v1/applications", json("name", name), createKey);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(api.keyed("POST", "/api/v1/applications", json("name", name), createKey).body())
                .isEqualTo(created.body());
        assertThat(api.keyed("POST", "/api/v1/applications", json("name", "another"), createKey).status())
                .isEqualTo(422);
        String token = created.json().get("token").asString();

        String chatKey = UUID.randomUUID().toString();
        Api.Response chat = api.keyed("POST", "/api/v1/applications/" + token + "/chats", null, chatKey);
        assertThat(chat.status()).isEqualTo(201);
        api.createChat(token);
        assertThat(api.keyed("POST", "/api/v1/applications/" + token + "/chats", null, chatKey).body())
                .isEqualTo(chat.body());

        String renameKey = UUID.randomUUID().toString();
        Api.Response renamed = api.keyed("PUT", "/api/v1/applications/" + token, json("name", "renamed"), renameKey);
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(api.keyed("PUT", "/api/v1/applications/" + token, json("name", "renamed"), renameKey).body())
                .isEqualTo(renamed.body());

        api.sendMessage(token, 1, "to be edited");
        String editKey = UUID.randomUUID().toString();
        String message = messagesPath(token, 1) + "/1";
        Api.Response edited = api.keyed("PUT", message, json("body", "edited once"), editKey);
        assertThat(edited.status()).isEqualTo(200);
        assertThat(api.keyed("PUT", message, json("body", "edited once"), editKey).body()).isEqualTo(edited.body());
        assertThat(api.keyed("PUT", message, json("body", "edited twice"), editKey).status()).isEqualTo(422);

        // exactly the writes that were new: one application created, two chats, one rename, one send, one edit
        eventually(() -> assertThat(types("/api/v1/applications/" + token + "/events"))
                .containsExactly("ApplicationCreated", "ChatCreated", "ChatCreated", "ApplicationRenamed"));
        assertThat(types("/api/v1/applications/" + token + "/chats/1/events")).containsExactly("MessageSent", "MessageEdited");
    }

    @Test
    void aKeyIsRememberedOnAnotherInstanceAndAfterARestart() {
        system.ensureCommandSides(2);
        String token = api.createApplication("keys everywhere");
        int chat = api.createChat(token);
        String key = UUID.randomUUID().toString();
        Api.Response first = system.api(0).keyed("POST", messagesPath(token, chat), json("body", "kept"), key);
        assertThat(first.status()).isEqualTo(201);

        Api.Response onTheOther = system.api(1).keyed("POST", messagesPath(token, chat), json("body", "kept"), key);
        assertThat(onTheOther.body()).isEqualTo(first.body());

        system.restartCommandSide();
        Api.Response afterRestart = system.api(0).keyed("POST", messagesPath(token, chat), json("body", "kept"), key);
        assertThat(afterRestart.status()).isEqualTo(201);
        assertThat(afterRestart.body()).isEqualTo(first.body());
        eventually(() -> assertThat(bodies(token, chat)).containsExactly("kept"));
    }

    @Test
    void aKeyThatIsNotVisibleAsciiIs400() {
        String token = api.createApplication("bad keys");
        for (String key : List.of("with space", "x".repeat(256))) {
            Api.Response answer = api.send(api.commandUrl, "POST", "/api/v1/applications/" + token + "/chats", null,
                    null, java.util.Map.of("Idempotency-Key", key));
            assertThat(answer.status()).as(key).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
    }

    private List<String> bodies(String token, int chat) {
        return api.getAll(messagesPath(token, chat), 500).stream().map(m -> m.get("body").asString()).toList();
    }

    private List<String> types(String path) {
        List<String> types = new java.util.ArrayList<>();
        for (JsonNode event : api.getJson(path + "?size=500")) {
            types.add(event.get("type").asString());
        }
        return types;
    }
}
