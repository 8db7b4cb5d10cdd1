package io.chatsystem.system;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.json;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear 4xx problem+json: never a 500, never a stack trace, never an event. */
class ErrorHandlingIT {

    private static final Api api = SystemUnderTest.get().api();
    private static String token;
    private static String chat;

    @BeforeAll
    static void data() {
        token = api.createApplication("errors");
        api.createChat(token);
        api.sendMessage(token, 1, "hello");
        chat = "/api/v1/applications/" + token + "/chats/1";
        eventually(() -> assertThat(api.get(chat + "/messages/1").status()).isEqualTo(200));
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
    }

    @Test
    void invalidNamesAre422() {
        assertProblem(api.post("/api/v1/applications", json("name", "")), 422);
        assertProblem(api.post("/api/v1/applications", json("name", "   ")), 422);
        assertProblem(api.post("/api/v1/applications", json("name", "x".repeat(256))), 422);
        assertProblem(api.post("/api/v1/applications", "{}"), 422);
        assertProblem(api.put("/api/v1/applications/" + token, json("name", "\t")), 422);
        var response = api.post("/api/v1/applications", json("name", ""));
        assertThat(response.json().get("detail").asString()).isEqualTo("name must not be blank");
    }

    @Test
    void invalidBodiesAre422() {
        assertProblem(api.post(chat + "/messages", json("body", "")), 422);
        assertProblem(api.post(chat + "/messages", "{}"), 422);
        assertProblem(api.post(chat + "/messages", json("body", "x".repeat(10_001))), 422);
        assertProblem(api.put(chat + "/messages/1", json("body", " ")), 422);
    }

    @Test
    void malformedRequestsAre400() {
        assertProblem(api.post("/api/v1/applications", "{\"name\":"), 400);
        assertProblem(api.post("/api/v1/applications", "not json"), 400);
        assertProblem(api.post("/api/v1/applications", ""), 400);
        assertProblem(api.post("/api/v1/applications", "{\"name\": 5}"), 400);
        assertProblem(api.post("/api/v1/applications", "{\"name\": [\"a\"]}"), 400);
        assertProblem(api.post(chat + "/messages", "{\"body\": true}"), 400);
        assertProblem(api.post("/api/v1/applications/" + token + "/chats/abc/messages", json("body", "x")), 400);
        assertProblem(api.put(chat + "/messages/x", json("body", "x")), 400);
        assertProblem(api.get("/api/v1/applications/" + token + "/chats/abc"), 400);
        assertProblem(api.get(chat + "/messages?page=0"), 400);
        assertProblem(api.get(chat + "/messages?size=100000"), 400);
        assertProblem(api.get(chat + "/messages?page=abc"), 400);
    }

    @Test
    void textThatIsNotValidUnicodeIs422() {
        // a lone surrogate, as JSON can spell it: no character, and no store but the event store could keep it
        assertProblem(api.post("/api/v1/applications", "{\"name\":\"\\ud800\"}"), 422);
        assertProblem(api.put("/api/v1/applications/" + token, "{\"name\":\"desk \\udc00\"}"), 422);
        assertProblem(api.post(chat + "/messages", "{\"body\":\"broken \\ud83d text\"}"), 422);
        assertProblem(api.put(chat + "/messages/1", "{\"body\":\"\\udfff\"}"), 422);
        // a pair is a character like any other (sent to a chat of its own: the others' numbers stay as they are)
        String ownChat = "/api/v1/applications/" + token + "/chats/" + api.createChat(token);
        assertThat(api.post(ownChat + "/messages", "{\"body\":\"\\ud83d\\ude00 paired is fine\"}").status())
                .isEqualTo(201);
    }

    @Test
    void requestsThatAreNotValidUtf8Are400() {
        assertProblem(api.get(chat + "/messages/search?q=%FF%FE"), 400);
        assertProblem(api.get(chat + "/messages?page=%C3"), 400);
        assertProblem(api.get("/api/v1/applications/%FF%FE/chats"), 400);
        assertProblem(api.post("/api/v1/applications/%FF/chats", null), 400);
    }

    @Test
    void controlCharactersAreKeptExactlyInEveryStore() {
        String body = "tab\tline\nnul\u0000bell\u0007 end";
        int ownChat = api.createChat(token);
        String messages = messagesPath(token, ownChat);
        assertThat(api.sendMessage(token, ownChat, body)).isEqualTo(1);
        eventually(() -> assertThat(api.getJson(messages + "/1").get("body").asString()).isEqualTo(body));
        eventually(() -> assertThat(api.getAll(messages + "/search?q=bell", 100).stream()
                .map(hit -> hit.get("body").asString()).toList()).containsExactly(body));
        assertThat(api.getJson("/api/v1/applications/" + token + "/chats/" + ownChat + "/events").get(0)
                .get("payload").get("body").asString()).isEqualTo(body);
    }

    @Test
    void wrongContentTypeIs415() {
        assertProblem(api.send(api.commandUrl, "POST", "/api/v1/applications", "text/plain", "{\"name\":\"a\"}"), 415);
        assertProblem(api.send(api.commandUrl, "POST", chat + "/messages", "application/xml", "<body/>"), 415);
    }

    @Test
    void unknownThingsAre404() {
        assertProblem(api.put("/api/v1/applications/unknown", json("name", "x")), 404);
        assertProblem(api.post("/api/v1/applications/unknown/chats", null), 404);
        assertProblem(api.post(messagesPath("unknown", 1), json("body", "x")), 404);
        assertProblem(api.post(messagesPath(token, 99), json("body", "x")), 404);
        assertProblem(api.post(messagesPath(token, 0), json("body", "x")), 404);
        assertProblem(api.post(messagesPath(token, -1), json("body", "x")), 404);
        assertProblem(api.put(chat + "/messages/2", json("body", "x")), 404);
        assertProblem(api.put(messagesPath(token, 99) + "/1", json("body", "x")), 404);

        assertProblem(api.get("/api/v1/applications/unknown"), 404);
        assertProblem(api.get("/api/v1/applications/unknown/chats"), 404);
        assertProblem(api.get("/api/v1/applications/" + token + "/chats/99"), 404);
        assertProblem(api.get(messagesPath(token, 99)), 404);
        assertProblem(api.get(chat + "/messages/99"), 404);
        assertProblem(api.get("/api/v1/nothing-here"), 404);
    }

    @Test
    void aRefusedCommandWritesNoEvent() {
        String applicationEvents = "/api/v1/applications/" + token + "/events";
        String chatEvents = chat + "/events";
        String missingChatEvents = "/api/v1/applications/" + token + "/chats/99/events";
        String unknownApplicationEvents = "/api/v1/applications/unknown-application/events";
        List<String> before = List.of(events(applicationEvents), events(chatEvents), events(missingChatEvents),
                events(unknownApplicationEvents));
        assertThat(before.get(0)).startsWith("200").contains("ApplicationCreated", "ChatCreated");
        assertThat(before.get(1)).startsWith("200").contains("MessageSent");
        assertThat(before.get(2)).startsWith("404");
        assertThat(before.get(3)).startsWith("404");

        // rename
        assertProblem(api.put("/api/v1/applications/" + token, json("name", " ")), 422);
        assertProblem(api.put("/api/v1/applications/" + token, json("name", "x".repeat(256))), 422);
        // chat creation
        assertProblem(api.post("/api/v1/applications/unknown-application/chats", null), 404);
        // send
        assertProblem(api.post(chat + "/messages", json("body", "")), 422);
        assertProblem(api.post(chat + "/messages", json("body", "x".repeat(10_001))), 422);
        assertProblem(api.post(messagesPath(token, 99), json("body", "to no chat")), 404);
        // edit
        assertProblem(api.put(chat + "/messages/1", json("body", " ")), 422);
        assertProblem(api.put(chat + "/messages/2", json("body", "no such message")), 404);
        assertProblem(api.put(messagesPath(token, 99) + "/1", json("body", "no such chat")), 404);

        assertThat(List.of(events(applicationEvents), events(chatEvents), events(missingChatEvents),
                events(unknownApplicationEvents))).isEqualTo(before);
    }

    /** A stream's events as the audit reads them from the event store (a 404 while the stream does not exist). */
    private static String events(String path) {
        Api.Response response = api.get(path + "?size=500");
        return response.status() + " " + response.body();
    }

    @Test
    void tokensAreCaseSensitive() {
        String swapped = swapCase(token);
        assertProblem(api.get("/api/v1/applications/" + swapped), 404);
        assertProblem(api.post("/api/v1/applications/" + swapped + "/chats", null), 404);
    }

    private static String swapCase(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return out.toString();
    }
}
