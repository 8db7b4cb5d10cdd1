package io.chatsystem.system;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message's times are set once, by the command side, and every read store shows the same instant at
 * the same precision: the MySQL table (GET), the search index (search) and the event store (audit).
 */
class TimestampsIT {

    private final Api api = SystemUnderTest.get().api();

    @Test
    void everyStoreShowsTheSameInstantsAndAnEditKeepsTheCreationTime() {
        String token = api.createApplication("timestamps");
        int chat = api.createChat(token);
        int number = api.sendMessage(token, chat, "timed message");
        String message = messagesPath(token, chat) + "/" + number;
        String search = messagesPath(token, chat) + "/search?q=timed";
        String audit = "/api/v1/applications/" + token + "/chats/" + chat + "/events";
        eventually(() -> assertThat(api.getJson(search)).hasSize(1));

        String sentAt = api.getJson(audit).get(0).get("payload").get("sent_at").asString();
        assertThat(Instant.parse(sentAt).getNano() % 1_000).as("microsecond precision").isZero();
        assertThat(api.getJson(message).get("created_at").asString()).isEqualTo(sentAt);
        assertThat(api.getJson(search).get(0).get("created_at").asString()).isEqualTo(sentAt);

        Api.Response edit = api.put(message, Api.json("body", "timed message, edited"));
        assertThat(edit.status()).isEqualTo(200);
        String editedAt = api.getJson(audit).get(1).get("payload").get("edited_at").asString();
        assertThat(edit.json().get("edited_at").asString()).isEqualTo(editedAt);
        assertThat(Instant.parse(editedAt)).isAfterOrEqualTo(Instant.parse(sentAt));

        eventually(() -> assertThat(api.getJson(message).get("updated_at").asString()).isEqualTo(editedAt));
        eventually(() -> assertThat(api.getJson(search).get(0).get("body").asString()).isEqualTo("timed message, edited"));
        JsonNode read = api.getJson(message);
        JsonNode found = api.getJson(search).get(0);
        assertThat(read.get("created_at").asString()).isEqualTo(sentAt);
        assertThat(found.get("created_at").asString()).isEqualTo(sentAt);
        assertThat(found.get("updated_at").asString()).isEqualTo(editedAt);
    }
}
