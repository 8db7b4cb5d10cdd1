package io.chatsystem.system;


import org.junit.jupiter.api.Test;

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

        system.restartCommandSide();
        Api restarted = system.api();

        assertThat(restarted.sendMessage(token, 2, "after restart")).isEqualTo(251);
        assertThat(restarted.createChat(token)).isEqualTo(4);
        assertThat(restarted.sendMessage(token, 3, "first in chat 3")).isEqualTo(1);
        assertThat(restarted.post(Api.messagesPath(token, 5), Api.json("body", "no such chat")).status())
                .isEqualTo(404);
    }

}
