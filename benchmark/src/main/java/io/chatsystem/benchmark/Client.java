package io.chatsystem.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

import tools.jackson.databind.json.JsonMapper;

/** The few API calls the benchmark makes; any unexpected status fails the run loudly. */
final class Client {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final String commandUrl;
    private final String queryUrl;

    Client(String commandUrl, String queryUrl) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
    }

    String createApplication(String name) {
        return JSON.readTree(call(commandUrl, "POST", "/api/v1/applications",
                JSON.createObjectNode().put("name", name).toString(), 201)).get("token").asString();
    }

    int createChat(String token) {
        return JSON.readTree(call(commandUrl, "POST", "/api/v1/applications/" + token + "/chats", null, 201))
                .get("number").asInt();
    }

    int sendMessage(String token, int chat, String body) {
        return JSON.readTree(call(commandUrl, "POST", messages(token, chat),
                JSON.createObjectNode().put("body", body).toString(), 201)).get("number").asInt();
    }

    /** The status of GET on the query side, without failing on 404. */
    int getStatus(String path) {
        return send(queryUrl, "GET", path, null).statusCode();
    }

    /** The body of GET on the query side, whatever its status. */
    String getBody(String path) {
        return send(queryUrl, "GET", path, null).body();
    }

    /** The JVM heap in use of the app at {@code baseUrl}, from its actuator metrics (live and not yet collected). */
    String heapInUse(String baseUrl) {
        HttpResponse<String> response = send(baseUrl, "GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", null);
        if (response.statusCode() != 200) {
            return "unknown (" + response.statusCode() + ")";
        }
        double bytes = JSON.readTree(response.body()).get("measurements").get(0).get("value").asDouble();
        return String.format("%,.0f MB", bytes / 1024 / 1024);
    }

    static String messages(String token, int chat) {
        return "/api/v1/applications/" + token + "/chats/" + chat + "/messages";
    }

    private String call(String base, String method, String path, String body, int expected) {
        HttpResponse<String> response = send(base, method, path, body);
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> send(String base, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
