package io.chatsystem.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.chatsystem.stack.AppProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers stay gapless and unique under real parallel HTTP requests, also when the requests are
 * spread over two command-side instances that share the event store (no Axon Server routing: the
 * event store's unique (aggregate, sequence) key and the retry of conflicting commands keep order).
 */
class ConcurrencyIT {

    private static final int THREADS = 32;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void fiftyParallelChatCreationsGetOneToFifty() {
        String token = api.createApplication("parallel chats");

        List<Integer> numbers = Parallel.run(50, THREADS, i -> api.createChat(token));

        assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(50));
        eventually(() -> assertThat(api.getAll("/api/v1/applications/" + token + "/chats", 500)
                .stream().map(c -> c.get("number").asInt()).toList()).isEqualTo(range(50)));
    }

    @Test
    void twoHundredParallelSendsIntoOneChatGetOneToTwoHundred() {
        String token = api.createApplication("hot chat");
        int chat = api.createChat(token);

        List<Integer> numbers = Parallel.run(200, THREADS, i -> api.sendMessage(token, chat, "message " + i));

        assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(200));
        assertReadable(token, chat, numbers.size());
    }

    @Test
    void parallelSendsOverTenChatsAreNumberedPerChat() {
        String token = api.createApplication("ten chats");
        List<Integer> chats = Parallel.run(10, 10, i -> api.createChat(token));
        assertThat(chats).containsExactlyInAnyOrderElementsOf(range(10));

        List<int[]> sent = Parallel.run(300, THREADS, i -> {
            int chat = 1 + (i * 7 + i / 10) % 10;
            return new int[] {chat, api.sendMessage(token, chat, "to chat " + chat)};
        });

        Map<Integer, List<Integer>> numbersByChat = new HashMap<>();
        sent.forEach(s -> numbersByChat.computeIfAbsent(s[0], c -> new ArrayList<>()).add(s[1]));
        assertThat(numbersByChat).hasSize(10);
        numbersByChat.forEach((chat, numbers) -> {
            assertThat(numbers).as("chat %d", chat).containsExactlyInAnyOrderElementsOf(range(numbers.size()));
            assertReadable(token, chat, numbers.size());
        });
    }

    @Test
    void twoCommandSideInstancesShareTheNumbering() {
        system.ensureCommandSides(2);
        Api first = system.api(0);
        Api second = system.api(1);
        String token = first.createApplication("two instances");

        List<Integer> chats = Parallel.run(40, THREADS, i -> (i % 2 == 0 ? first : second).createChat(token));
        assertThat(chats).containsExactlyInAnyOrderElementsOf(range(40));

        List<Integer> messages = Parallel.run(200, THREADS,
                i -> (i % 2 == 0 ? first : second).sendMessage(token, 7, "from instance " + (i % 2)));
        assertThat(messages).containsExactlyInAnyOrderElementsOf(range(200));
        assertReadable(token, 7, 200);
    }

    /**
     * Two command sides sending into the same ten chats: each instance stores the appends of its
     * concurrent commands together (one transaction of the event store for several chats), and an
     * append whose chat the other instance wrote first must fail alone and be retried, without taking
     * the others of its transaction down with it.
     */
    @Test
    void twoCommandSidesSendingToTheSameChatsKeepEachGapless() {
        system.ensureCommandSides(2);
        List<Api> sides = List.of(system.api(0), system.api(1));
        String token = sides.get(0).createApplication("two instances, ten chats");
        Parallel.run(10, 10, i -> sides.get(0).createChat(token));

        List<int[]> sent = Parallel.run(400, THREADS, i -> {
            int chat = 1 + i % 10;
            return new int[] {chat, sides.get(i / 10 % 2).sendMessage(token, chat, "to chat " + chat)};
        });

        Map<Integer, List<Integer>> numbersByChat = new HashMap<>();
        sent.forEach(s -> numbersByChat.computeIfAbsent(s[0], c -> new ArrayList<>()).add(s[1]));
        numbersByChat.forEach((chat, numbers) -> {
            assertThat(numbers).as("chat %d", chat).containsExactlyInAnyOrderElementsOf(range(40));
            assertReadable(token, chat, 40);
        });
        assertThat(sides).as("command sides that stored several commands' appends in one transaction")
                .anySatisfy(side -> assertThat(appendsPerTransaction(side)).isGreaterThan(1));
    }

    /** Appends stored per transaction of the event store, on average since the command side started. */
    private static double appendsPerTransaction(Api side) {
        Map<String, Double> statistics = new HashMap<>();
        side.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(side.commandUrl, "GET", "/actuator/metrics/chat.events.appends.per.transaction", null, null).json()
                .get("measurements").forEach(m -> statistics.put(m.get("statistic").asString(), m.get("value").asDouble()));
        return statistics.get("TOTAL") / statistics.get("COUNT");
    }

    /**
     * Two command sides without conflict retries, sent to directly (no gateway routes the chat's writes to
     * one of them), so that two writers to one chat race: the requests that lose get a clear 409
     * problem+json, never a 500 or a 503, and the numbers of the others stay gapless. In both modes: each
     * command side handles the commands it receives, and the event store's sequence check decides.
     */
    @Test
    void aCommandThatLosesEveryRetryIsAClearConflict() {
        Map<String, String> noRetries = Map.of("CHAT_COMMAND_CONFLICT_RETRIES", "0");
        try (AppProcess one = system.startCommandSide(noRetries); AppProcess two = system.startCommandSide(noRetries)) {
            Api first = new Api(one.baseUrl(), api.queryUrl);
            Api second = new Api(two.baseUrl(), api.queryUrl);
            String token = first.createApplication("lost races");
            int chat = first.createChat(token);

            List<Api.Response> answers = Parallel.run(200, THREADS,
                    i -> (i % 2 == 0 ? first : second).post(messagesPath(token, chat), Api.json("body", "race " + i)));
            List<Integer> numbers = new ArrayList<>();
            int conflicts = 0;
            for (Api.Response answer : answers) {
                if (answer.status() == 201) {
                    numbers.add(answer.json().get("number").asInt());
                } else {
                    assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(answer.body()).doesNotContain("Exception", "\tat ");
                    conflicts++;
                }
            }
            assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(numbers.size()));
            assertThat(conflicts).as("requests that lost their race").isPositive();
            assertReadable(token, chat, numbers.size());
        }
    }

    /** Every number that got a 201 is on the query side, once, with nothing extra. */
    private void assertReadable(String token, int chat, int count) {
        eventually(() -> {
            List<JsonNode> messages = api.getAll(messagesPath(token, chat), 500);
            assertThat(messages.stream().map(m -> m.get("number").asInt()).toList()).isEqualTo(range(count));
        });
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }
}
