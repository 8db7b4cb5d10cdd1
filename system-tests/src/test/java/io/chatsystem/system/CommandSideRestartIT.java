package io.chatsystem.system;


import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers come from the event store, not from memory: after a restart (empty aggregate cache) the
 * numbering goes on where it stopped, and a long chat is loaded from its snapshot.
 */
class CommandSideRestartIT {

    private final SystemUnderTest system = SystemUnderTest.get();

    @Test
    void numberingContinuesAfterARestartFromSnapshotsAndEvents() {
        Api api = system.api();
        String token = api.createApplication("restart");
        for (int i = 1; i <= 3; i++) {
            api.createChat(token);
        }
        for (int i = 1; i <= 250; i++) {
            api.sendMessage(token, 2, "message " + i);
        }
        String chatId = token + ":2";
        // snapshots are taken in the background after the 100th and 200th event
        Api.eventually(() -> assertThat(system.snapshotSequence(chatId)).isGreaterThanOrEqualTo(199L));

        system.restartCommandSides();
        Api restarted = system.api();

        double loadedBefore = eventsLoaded(restarted, "Chat");
        assertThat(restarted.sendMessage(token, 2, "after restart")).isEqualTo(251);
        // loaded from the newest snapshot (sequence 199 or later) and the events after it, not all 250
        assertThat(eventsLoaded(restarted, "Chat") - loadedBefore).isBetween(1.0, 51.0);
        assertThat(restarted.createChat(token)).isEqualTo(4);
        assertThat(restarted.sendMessage(token, 3, "first in chat 3")).isEqualTo(1);
        assertThat(restarted.post(Api.messagesPath(token, 5), Api.json("body", "no such chat")).status())
                .isEqualTo(404);
    }

    @Test
    void anApplicationPastItsSnapshotStillKnowsItsChatsAndItsWholeHistory() {
        Api api = system.api();
        String token = api.createApplication("many chats");
        for (int i = 1; i <= 105; i++) {
            assertThat(api.createChat(token)).isEqualTo(i);
        }
        // 106 events: a snapshot is taken after the 100th
        Api.eventually(() -> assertThat(system.snapshotSequence(token)).isGreaterThanOrEqualTo(99L));

        // a chat's first message asks the application's stream whether the chat exists: snapshot, then events
        assertThat(api.sendMessage(token, 104, "first in chat 104")).isEqualTo(1);
        assertThat(api.sendMessage(token, 50, "first in chat 50")).isEqualTo(1);
        assertThat(api.post(Api.messagesPath(token, 106), Api.json("body", "no such chat")).status()).isEqualTo(404);

        // the audit reads the plain stream, never the snapshot: every event from sequence 0
        JsonNode events = api.getJson("/api/v1/applications/" + token + "/events?size=500");
        assertThat(events).hasSize(106);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence").asLong()).isEqualTo(i);
        }
        assertThat(events.get(0).get("type").asString()).isEqualTo("ApplicationCreated");
        assertThat(events.get(105).get("payload").get("chat_number").asInt()).isEqualTo(105);
    }

    /**
     * What the command sides read from the event store to load aggregates of a type, by their own metric,
     * summed: over Axon Server the instance that handles a command need not be the one that was asked.
     */
    private double eventsLoaded(Api api, String aggregate) {
        double loaded = 0;
        for (String commandSide : system.commandSideUrls()) {
            Api.Response metric = api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(commandSide, "GET",
                    "/actuator/metrics/chat.aggregate.events.loaded?tag=aggregate:" + aggregate, null, null);
            if (metric.status() != 404) { // 404: nothing loaded there yet
                assertThat(metric.status()).as(metric.body()).isEqualTo(200);
                loaded += metric.json().get("measurements").get(0).get("value").asDouble();
            }
        }
        return loaded;
    }

}
