package io.chatsystem.system;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/** The event store is the audit log: an application's and a chat's history, in order, as stored. */
class AuditIT {

    private final Api api = SystemUnderTest.get().api();

    @Test
    void listsTheHistoryOfAnApplicationAndOfAChatInOrder() {
        String token = api.createApplication("audited");
        api.createChat(token);
        api.createChat(token);
        api.put("/api/v1/applications/" + token, Api.json("name", "audited again"));
        api.sendMessage(token, 2, "first");
        api.sendMessage(token, 2, "second 😀");
        api.put(messagesPath(token, 2) + "/1", Api.json("body", "first, edited"));

        JsonNode application = api.getJson("/api/v1/applications/" + token + "/events");
        assertThat(application.findValues("type").stream().map(JsonNode::asString)).containsExactly(
                "ApplicationCreated", "ChatCreated", "ChatCreated", "ApplicationRenamed");
        assertThat(application.findValues("sequence").stream().map(JsonNode::asInt)).containsExactly(0, 1, 2, 3);
        assertThat(application.get(0).get("payload").get("name").asString()).isEqualTo("audited");
        assertThat(application.get(2).get("payload").get("chat_number").asInt()).isEqualTo(2);
        assertThat(application.get(0).get("timestamp").asString()).isNotBlank();

        JsonNode chat = api.getJson("/api/v1/applications/" + token + "/chats/2/events");
        assertThat(chat.findValues("type").stream().map(JsonNode::asString))
                .containsExactly("MessageSent", "MessageSent", "MessageEdited");
        List<String> bodies = chat.findValues("body").stream().map(JsonNode::asString).toList();
        assertThat(bodies).containsExactly("first", "second 😀", "first, edited");

        JsonNode secondPage = api.getJson("/api/v1/applications/" + token + "/events?page=2&size=3");
        assertThat(secondPage.findValues("type").stream().map(JsonNode::asString)).containsExactly("ApplicationRenamed");
        assertThat(api.getJson("/api/v1/applications/" + token + "/chats/1/events")).isEmpty();
    }

    @Test
    void unknownApplicationOrChatIs404() {
        String token = api.createApplication("audit 404");
        assertThat(api.get("/api/v1/applications/unknown/events").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/applications/" + token + "/chats/1/events").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/applications/" + token + "/events?size=0").status()).isEqualTo(400);
    }
}
