package io.chatsystem.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The public HTTP API as a client sees it: writes to the command side, reads from the query side. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();
    static final Duration CONSISTENCY_TIMEOUT = Duration.ofSeconds(30);

    record Response(int status, String contentType, String body, HttpHeaders headers) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    final String commandUrl;
    final String queryUrl;
    /** The operator credential every request carries (HTTP Basic), or null. */
    private final String authorization;

    Api(String commandUrl, String queryUrl) {
        this(commandUrl, queryUrl, null);
    }

    private Api(String commandUrl, String queryUrl, String authorization) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.authorization = authorization;
    }

    /** The same client, as an operator: its requests carry the operator credential (for GET /api/v1/applications). */
    Api asOperator(String password) {
        return new Api(commandUrl, queryUrl, basic(password));
    }

    static String basic(String password) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // ---- writes (command side)

    String createApplication(String name) {
        Response response = post("/api/v1/applications", json("name", name));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("token").asString();
    }

    int createChat(String token) {
        Response response = post("/api/v1/applications/" + token + "/chats", null);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("number").asInt();
    }

    int sendMessage(String token, int chat, String body) {
        Response response = post(messagesPath(token, chat), json("body", body));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("number").asInt();
    }

    Response post(String path, String body) {
        return send(commandUrl, "POST", path, "application/json", body);
    }

    Response put(String path, String body) {
        return send(commandUrl, "PUT", path, "application/json", body);
    }

    // ---- reads (query side)

    Response get(String path) {
        return send(queryUrl, "GET", path, null, null);
    }

    JsonNode getJson(String path) {
        Response response = get(path);
        assertThat(response.status()).as(path + " -> " + response.body()).isEqualTo(200);
        return response.json();
    }

    /** Reads every page of a list endpoint. */
    List<JsonNode> getAll(String path, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode items = getJson(path + (path.contains("?") ? "&" : "?") + "page=" + page + "&size=" + pageSize);
            items.forEach(all::add);
            if (items.size() < pageSize) {
                return all;
            }
        }
    }

    /** Waits until the query side has caught up so that {@code check} holds. */
    static void eventually(Runnable check) {
        eventuallyWithin(CONSISTENCY_TIMEOUT, check);
    }

    static void eventuallyWithin(Duration timeout, Runnable check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> until) {
        Object[] last = new Object[1];
        eventually(() -> {
            T value = read.get();
            last[0] = value;
            assertThat(until.test(value)).as("last read: %s", value).isTrue();
        });
        @SuppressWarnings("unchecked")
        T value = (T) last[0];
        return value;
    }

    static String messagesPath(String token, int chat) {
        return "/api/v1/applications/" + token + "/chats/" + chat + "/messages";
    }

    static String json(String field, String value) {
        return JSON.createObjectNode().put(field, value).toString();
    }

    /** A request to the query side's admin API, with the given HTTP Basic password (null: none). */
    Response admin(String method, String path, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(queryUrl + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (password != null) {
            request.header("Authorization", basic(password));
        }
        return exchange(request);
    }

    Response send(String baseUrl, String method, String path, String contentType, String body) {
        return send(baseUrl, method, path, contentType, body, Map.of());
    }

    /** A request with extra headers (an Idempotency-Key, say). */
    Response send(String baseUrl, String method, String path, String contentType, String body,
                  Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null && !headers.containsKey("Authorization")) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return exchange(request);
    }

    /** A write with an Idempotency-Key. */
    Response keyed(String method, String path, String body, String key) {
        return send(commandUrl, method, path, body == null ? null : "application/json", body,
                Map.of("Idempotency-Key", key));
    }

    private static Response exchange(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
