package io.chatsystem.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/** Message search through the Elasticsearch projection: partial, case- and accent-insensitive, literal, per chat. */
class SearchIT {

    private static final SystemUnderTest system = SystemUnderTest.get();
    private static Api api;
    private static String token;
    private static int chat;

    @BeforeAll
    static void messages() {
        api = system.api();
        token = api.createApplication("search");
        chat = api.createChat(token);
        for (String body : List.of(
                "Hello, World!",                         // 1
                "hello again",                           // 2
                "Crème brûlée à Paris",                  // 3
                "C++ is not C",                          // 4
                "a *star* and a question? mark",         // 5
                "path/to\\file: [x] {y} \"quoted\" (z)", // 6
                "cats AND dogs OR birds NOT fish",       // 7
                "nothing to see")) {                     // 8
            api.sendMessage(token, chat, body);
        }
        // the same words elsewhere must never show up: indexed, and found where they were sent
        int otherChat = api.createChat(token);
        api.sendMessage(token, otherChat, "Hello, World! from another chat");
        String otherApp = api.createApplication("elsewhere");
        int otherAppChat = api.createChat(otherApp);
        api.sendMessage(otherApp, otherAppChat, "Hello, World! from another application");
        eventually(() -> assertThat(search("nothing")).containsExactly(8));
        eventually(() -> assertThat(api.getJson(messagesPath(token, otherChat) + "/search?q=another")).hasSize(1));
        eventually(() -> assertThat(api.getJson(messagesPath(otherApp, otherAppChat) + "/search?q=another"))
                .hasSize(1));
    }

    @Test
    void matchesPartsOfWordsWhateverTheCase() {
        assertThat(search("ell")).containsExactlyInAnyOrder(1, 2);
        assertThat(search("HELLO")).containsExactlyInAnyOrder(1, 2);
        assertThat(search("orl")).containsExactly(1);
    }

    @Test
    void everyWordMustMatch() {
        assertThat(search("ell wor")).containsExactly(1);
        assertThat(search("hello nothing")).isEmpty();
    }

    @Test
    void matchesAccentedTextWithOrWithoutAccents() {
        assertThat(search("crème")).containsExactly(3);
        assertThat(search("creme")).containsExactly(3);
        assertThat(search("BRÛLÉE")).containsExactly(3);
        assertThat(search("ûlé")).containsExactly(3);
    }

    @Test
    void takesQuerySyntaxAsLiteralText() {
        assertThat(search("C++")).containsExactly(4);
        assertThat(search("*star*")).containsExactly(5);
        assertThat(search("question?")).containsExactly(5);
        assertThat(search("\"quoted\"")).containsExactly(6);
        assertThat(search("to\\file:")).containsExactly(6);
        assertThat(search("[x] {y}")).containsExactly(6);
        // "AND" is a word like any other: case-insensitive, so the "and" of message 5 matches too
        assertThat(search("AND")).containsExactlyInAnyOrder(5, 7);
        for (String syntax : List.of("*", "?", "\\", "\"", "(", ")", ":", "[", "]", "{", "}", "/", "AND", "OR", "NOT",
                "a OR b", "*:*", "\"unclosed", "body:hello", "~1", "^2", "-", "+", "&&", "||", "!", "<", ">", "=")) {
            Api.Response response = api.get(searchPath(syntax));
            assertThat(response.status()).as("q=%s -> %s", syntax, response.body()).isEqualTo(200);
        }
        assertThat(search("*")).containsExactly(5);
        assertThat(search("*:*")).isEmpty();
    }

    @Test
    void findsOnlyMessagesOfTheChatAskedFor() {
        assertThat(search("world")).containsExactly(1);
        assertThat(search("another")).isEmpty();
    }

    @Test
    void findsTheNewTextAfterAnEdit() {
        int number = api.sendMessage(token, chat, "original wording");
        eventually(() -> assertThat(search("original")).containsExactly(number));

        assertThat(api.put(messagesPath(token, chat) + "/" + number, Api.json("body", "replaced phrasing")).status())
                .isEqualTo(200);

        eventually(() -> assertThat(search("phrasing")).containsExactly(number));
        assertThat(search("original")).isEmpty();
        JsonNode hit = api.getJson(searchPath("phrasing")).get(0);
        assertThat(hit.get("body").asString()).isEqualTo("replaced phrasing");
        assertThat(hit.propertyNames()).contains("number", "body", "created_at");
    }

    @Test
    void pagesThroughManyResults() {
        String pageToken = api.createApplication("search pages");
        int pageChat = api.createChat(pageToken);
        for (int i = 0; i < 25; i++) {
            api.sendMessage(pageToken, pageChat, "paged result " + i);
        }
        String path = "/api/v1/applications/" + pageToken + "/chats/" + pageChat + "/messages/search?q=paged";
        eventually(() -> assertThat(api.getJson(path + "&size=100")).hasSize(25));

        List<Integer> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode hits = api.getJson(path + "&size=10&page=" + page);
            assertThat(hits.size()).isEqualTo(page < 3 ? 10 : 5);
            hits.forEach(hit -> seen.add(hit.get("number").asInt()));
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize(25);
        assertThat(api.getJson(path + "&size=10&page=4")).isEmpty();
        assertThat(api.get(path + "&size=1000").status()).isEqualTo(400);
        assertThat(api.get(path + "&size=100&page=101").status()).as("past the 10 000 results Elasticsearch pages through")
                .isEqualTo(400);
        assertThat(api.get(path + "&size=100&page=100").status()).isEqualTo(200);
        assertThat(api.get(path + "&page=0").status()).isEqualTo(400);
    }

    @Test
    void aPageOfLongResultsComesWholeInAnswersSmallEnoughForTheQueryBus() {
        String longToken = api.createApplication("long results");
        int longChat = api.createChat(longToken);
        int messages = 60;
        for (int i = 0; i < messages; i++) {
            // 60 KB each as counted for an answer: 3.6 MB, more than one answer may carry over Axon Server
            api.sendMessage(longToken, longChat, "needle " + "x".repeat(9_990));
        }
        String path = messagesPath(longToken, longChat) + "/search?q=needle&size=100";
        eventually(() -> assertThat(api.getJson(path)).hasSize(messages));

        List<Integer> numbers = new ArrayList<>();
        api.getJson(path).forEach(hit -> numbers.add(hit.get("number").asInt()));
        assertThat(numbers).doesNotHaveDuplicates().allMatch(number -> number >= 1 && number <= messages);
    }

    @Test
    void ranksWholeWordsAbovePartsOfWords() {
        String rankToken = api.createApplication("search ranking");
        int rankChat = api.createChat(rankToken);
        api.sendMessage(rankToken, rankChat, "the othello overture");   // 1: "hello" inside a word
        api.sendMessage(rankToken, rankChat, "shellfish and hellos");   // 2: inside words only
        api.sendMessage(rankToken, rankChat, "hello there");            // 3: the whole word
        String path = messagesPath(rankToken, rankChat) + "/search?q=hello";
        eventually(() -> assertThat(api.getJson(path)).hasSize(3));
        assertThat(api.getJson(path).get(0).get("number").asInt()).isEqualTo(3);
    }

    @Test
    void servesDefaultPageSizesWhenNoneIsAsked() {
        String pageToken = api.createApplication("default pages");
        int pageChat = api.createChat(pageToken);
        for (int i = 0; i < 55; i++) {
            api.sendMessage(pageToken, pageChat, "default page " + i);
        }
        String messages = messagesPath(pageToken, pageChat);
        eventually(() -> assertThat(api.getJson(messages + "/search?q=default&size=100")).hasSize(55));
        assertThat(api.getJson(messages + "/search?q=default")).hasSize(20);
        assertThat(api.getJson(messages)).hasSize(50);
        assertThat(api.getJson(messages + "?page=2")).hasSize(5);
    }

    @Test
    void findsAWordLongerThanTheIndexedFragments() {
        String longToken = api.createApplication("long words");
        int longChat = api.createChat(longToken);
        String word = "Pneumonoultramicroscopicsilicovolcanoconiosis"; // 45 letters, fragments keep 32
        api.sendMessage(longToken, longChat, "diagnosed " + word + " today");
        api.sendMessage(longToken, longChat, "nothing long here");
        String path = messagesPath(longToken, longChat) + "/search?q=";
        eventually(() -> assertThat(api.getJson(path + "today")).hasSize(1));
        assertThat(api.getJson(path + word)).hasSize(1);
        assertThat(api.getJson(path + word.toUpperCase(java.util.Locale.ROOT))).hasSize(1);
        assertThat(api.getJson(path + word.substring(20))).hasSize(1);
        assertThat(api.getJson(path + word + "x")).as("a longer query word matches on its first 32 characters")
                .hasSize(1);
    }

    @Test
    void refusesBadSearches() {
        assertProblem(api.get("/api/v1/applications/" + token + "/chats/" + chat + "/messages/search"), 400);
        assertProblem(api.get(searchPath(" ")), 400);
        assertProblem(api.get(searchPath("x".repeat(201))), 400);
        assertThat(api.get(searchPath("x".repeat(200))).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/applications/" + token + "/chats/99/messages/search?q=a"), 404);
        assertProblem(api.get("/api/v1/applications/unknown/chats/1/messages/search?q=a"), 404);
    }

    @Test
    void answers503WhileElasticsearchIsDownAndLosesNoMessage() {
        String outageToken = api.createApplication("search outage");
        int outageChat = api.createChat(outageToken);
        api.sendMessage(outageToken, outageChat, "outage before");
        String path = "/api/v1/applications/" + outageToken + "/chats/" + outageChat + "/messages/search?size=100&q=";
        eventually(() -> assertThat(api.getJson(path + "outage")).hasSize(1));

        system.stopElasticsearch();
        try {
            for (int i = 0; i < 30; i++) {
                api.sendMessage(outageToken, outageChat, "outage during " + i);
            }
            assertProblem(api.get(path + "outage"), 503);
            // everything else keeps working
            eventually(() -> assertThat(api.getJson(messagesPath(outageToken, outageChat))).hasSize(31));
            assertThat(api.get("/api/v1/applications/" + outageToken).status()).isEqualTo(200);
        } finally {
            system.startElasticsearch();
        }

        Api.eventuallyWithin(Duration.ofSeconds(120), () -> assertThat(api.get(path + "during").status()).isEqualTo(200));
        Api.eventuallyWithin(Duration.ofSeconds(120), () -> assertThat(api.getJson(path + "during")).hasSize(30));
        assertThat(api.getJson(path + "outage")).hasSize(31);
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }

    private static List<Integer> search(String text) {
        List<Integer> numbers = new ArrayList<>();
        api.getJson(searchPath(text)).forEach(hit -> numbers.add(hit.get("number").asInt()));
        return numbers;
    }

    private static String searchPath(String text) {
        return "/api/v1/applications/" + token + "/chats/" + chat + "/messages/search?size=100&q="
                + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
