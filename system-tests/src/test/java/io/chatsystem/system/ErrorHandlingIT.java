package io.chatsystem.system;

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
