package io.chatsystem.system;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.chatsystem.system.Api.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * chats_count and messages_count: kept as figures in Redis by a projection, written to MySQL in
 * bulk every second in these tests, served from MySQL. They never double count and never go down.
 */
class CountsIT {

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void countsSequentialWrites() {
        String token = api.createApplication("counted");
        for (int i = 0; i < 3; i++) {
            api.createChat(token);
        }
        for (int i = 0; i < 5; i++) {
            api.sendMessage(token, 2, "m" + i);
        }
        api.sendMessage(token, 3, "one");

        eventually(() -> assertThat(chatsCount(token)).isEqualTo(3));
        eventually(() -> assertThat(messagesCount(token, 2)).isEqualTo(5));
        eventually(() -> assertThat(messagesCount(token, 3)).isEqualTo(1));
        assertThat(messagesCount(token, 1)).isZero();
        assertThat(api.getJson("/api/v1/applications/" + token + "/chats").findValues("messages_count")
                .stream().map(n -> n.asInt()).toList()).containsExactly(0, 5, 1);
    }

    @Test
    void countsParallelWrites() {
        String token = api.createApplication("counted in parallel");
        Parallel.run(20, 16, i -> api.createChat(token));
        Parallel.run(200, 32, i -> api.sendMessage(token, 7, "m" + i));

        eventually(() -> assertThat(chatsCount(token)).isEqualTo(20));
        eventually(() -> assertThat(messagesCount(token, 7)).isEqualTo(200));
    }

    @Test
    void anEmptiedRedisIsRebuiltAndMySqlNeverGoesDown() {
        String token = api.createApplication("wiped");
        api.createChat(token);
        api.createChat(token);
        for (int i = 0; i < 10; i++) {
            api.sendMessage(token, 1, "m" + i);
        }
        api.sendMessage(token, 2, "only one");
        eventually(() -> assertThat(messagesCount(token, 1)).isEqualTo(10));
        eventually(() -> assertThat(messagesCount(token, 2)).isEqualTo(1));

        assertThat(system.redis("FLUSHALL")).isEqualTo("+OK");
        List<Integer> messagesSeen = new ArrayList<>();
        List<Integer> chatsSeen = new ArrayList<>();
        long until = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < until) {
            messagesSeen.add(messagesCount(token, 1));
            chatsSeen.add(chatsCount(token));
        }
        assertThat(messagesSeen).containsOnly(10);
        assertThat(chatsSeen).containsOnly(2);

        api.sendMessage(token, 1, "after the wipe");
        eventually(() -> assertThat(messagesCount(token, 1)).isEqualTo(11));
        // the figures of untouched chats are back in Redis too: a new version rebuilt from the event store
        eventually(() -> assertThat(system.redis("HGET", countsKey("messages"), token + ":2")).isEqualTo("1"));
        eventually(() -> assertThat(system.redis("HGET", countsKey("chats"), token)).isEqualTo("2"));
        assertThat(messagesCount(token, 2)).isEqualTo(1);
    }

    @Test
    void aLowerFigureFlushedToMySqlNeverLowersTheColumn() {
        String token = api.createApplication("never down");
        api.createChat(token);
        api.createChat(token);
        for (int i = 0; i < 10; i++) {
            api.sendMessage(token, 1, "m" + i);
        }
        eventually(() -> assertThat(messagesCount(token, 1)).isEqualTo(10));
        eventually(() -> assertThat(chatsCount(token)).isEqualTo(2));

        // a lower figure marked changed, as a Redis that lost writes would hold it: the next flush writes it
        String chatKey = token + ":1";
        assertThat(system.redis("HSET", countsKey("messages"), chatKey, "3")).isEqualTo(":0");
        assertThat(system.redis("SADD", countsKey("messages:dirty"), chatKey)).isEqualTo(":1");
        assertThat(system.redis("HSET", countsKey("chats"), token, "1")).isEqualTo(":0");
        assertThat(system.redis("SADD", countsKey("chats:dirty"), token)).isEqualTo(":1");
        eventually(() -> {
            assertThat(system.redis("SISMEMBER", countsKey("messages:dirty"), chatKey)).isEqualTo(":0");
            assertThat(system.redis("EXISTS", countsKey("messages:flushing"))).isEqualTo(":0");
            assertThat(system.redis("SISMEMBER", countsKey("chats:dirty"), token)).isEqualTo(":0");
            assertThat(system.redis("EXISTS", countsKey("chats:flushing"))).isEqualTo(":0");
        });

        assertThat(messagesCount(token, 1)).isEqualTo(10);
        assertThat(chatsCount(token)).isEqualTo(2);
    }

    @Test
    void catchesUpWhenRedisReturnsAndReadsKeepWorkingMeanwhile() {
        String token = api.createApplication("redis outage");
        int chat = api.createChat(token);
        api.sendMessage(token, chat, "before");
        eventually(() -> assertThat(messagesCount(token, chat)).isEqualTo(1));

        system.stopRedis();
        try {
            for (int i = 0; i < 20; i++) {
                api.sendMessage(token, chat, "during the outage " + i);
            }
            int second = api.createChat(token);
            api.sendMessage(token, second, "new chat during the outage");
            // reads are served from MySQL, and the other projections carry on
            eventually(() -> assertThat(api.getJson(Api.messagesPath(token, chat))).hasSize(21));
        } finally {
            system.startRedis();
        }

        Api.eventuallyWithin(java.time.Duration.ofSeconds(90),
                () -> assertThat(messagesCount(token, chat)).isEqualTo(21));
        Api.eventuallyWithin(java.time.Duration.ofSeconds(30), () -> assertThat(chatsCount(token)).isEqualTo(2));
        Api.eventuallyWithin(java.time.Duration.ofSeconds(30), () -> assertThat(messagesCount(token, 2)).isEqualTo(1));
    }

    /** A key of the live version of the counts read model in Redis (each version has a key space of its own). */
    private String countsKey(String name) {
        for (var projection : api.admin("GET", "/admin/projections", SystemUnderTest.ADMIN_PASSWORD).json()) {
            if (projection.get("name").asString().equals("counts")) {
                return "chat:counts:v" + projection.get("live").get("version").asInt() + ":" + name;
            }
        }
        throw new AssertionError("no counts projection");
    }

    private int chatsCount(String token) {
        return api.getJson("/api/v1/applications/" + token).get("chats_count").asInt();
    }

    private int messagesCount(String token, int chat) {
        return api.getJson("/api/v1/applications/" + token + "/chats/" + chat).get("messages_count").asInt();
    }
}
