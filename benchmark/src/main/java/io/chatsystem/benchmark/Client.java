package io.chatsystem.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import tools.jackson.databind.json.JsonMapper;

/** The few API calls the benchmark makes; any unexpected status fails the run loudly. */
final class Client implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Connections to one host: more than the most clients a row runs (256), so that none waits for one. */
    private static final int MAX_CONNECTIONS = 1024;
    /** The largest answer read (a page of the longest messages). */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    private static final long CONNECT_TIMEOUT_MS = 5_000;
    private static final long REQUEST_TIMEOUT_SECONDS = 30;
    private static final String CONSISTENCY_TOKEN = "Consistency-Token";
    /** What a 429 means here: the benchmark writes far faster than a client may, from one address. */
    private static final String RATE_LIMITED = " (the system's write rate limits: start bin/run-local with"
            + " --write-rate-limits=off, or set WRITE_RATE_PER_APPLICATION=0 and WRITE_RATE_PER_CLIENT=0)";

    /**
     * Jetty's client rather than the JDK's: on the machine it measures, the load generator's own CPU is taken from
     * the system under test, and the JDK's client spent more per request (0.14-0.19 CPU-ms at 64 clients against
     * 0.09-0.16, median 0.115, with this one; its futures, timers and selector registrations, JFR).
     */
    private final HttpClient http = startedClient();
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

    /** A message stored: its number and the write's {@code Consistency-Token}. */
    record Sent(int number, String consistencyToken) {
    }

    Sent sendMessageWithToken(String token, int chat, String body) {
        ContentResponse response = send(commandUrl, "POST", messages(token, chat),
                JSON.createObjectNode().put("body", body).toString(), Map.of());
        if (response.getStatus() != 201) {
            throw new IllegalStateException("POST " + messages(token, chat) + " answered " + response.getStatus()
                    + (response.getStatus() == 429 ? RATE_LIMITED : ""));
        }
        return new Sent(JSON.readTree(response.getContentAsString()).get("number").asInt(),
                response.getHeaders().get(CONSISTENCY_TOKEN));
    }

    /** The status of GET on the query side with a write's {@code Consistency-Token}, without failing on 404 or 503. */
    int getStatus(String path, String consistencyToken) {
        return send(queryUrl, "GET", path, null, Map.of(CONSISTENCY_TOKEN, consistencyToken)).getStatus();
    }

    /** The chat's {@code messages_count} as GET with a write's {@code Consistency-Token} answers it (-1 unless 200). */
    long messagesCount(String token, int chat, String consistencyToken) {
        ContentResponse response = send(queryUrl, "GET", "/api/v1/applications/" + token + "/chats/" + chat, null,
                Map.of(CONSISTENCY_TOKEN, consistencyToken));
        return response.getStatus() == 200
                ? JSON.readTree(response.getContentAsString()).get("messages_count").asLong() : -1;
    }

    int sendMessage(String token, int chat, String body) {
        return JSON.readTree(call(commandUrl, "POST", messages(token, chat),
                JSON.createObjectNode().put("body", body).toString(), 201)).get("number").asInt();
    }

    /** The status of GET on the query side, without failing on 404. */
    int getStatus(String path) {
        return send(queryUrl, "GET", path, null).getStatus();
    }

    /** The body of GET on the query side, whatever its status. */
    String getBody(String path) {
        return send(queryUrl, "GET", path, null).getContentAsString();
    }

    /** The HTTP Basic header of the operator credential, which actuator's metrics and the admin API ask for. */
    static String operatorAuthorization(String adminPassword) {
        return "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    /** The JVM heap in use of the app at {@code baseUrl}, from its actuator metrics (live and not yet collected). */
    String heapInUse(String baseUrl, String adminPassword) {
        ContentResponse response = send(baseUrl, "GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", null,
                Map.of("Authorization", operatorAuthorization(adminPassword)));
        if (response.getStatus() != 200) {
            return "unknown (" + response.getStatus() + ")";
        }
        double bytes = JSON.readTree(response.getContentAsString()).get("measurements").get(0).get("value").asDouble();
        return String.format("%,.0f MB", bytes / 1024 / 1024);
    }

    static String messages(String token, int chat) {
        return "/api/v1/applications/" + token + "/chats/" + chat + "/messages";
    }

    private String call(String base, String method, String path, String body, int expected) {
        ContentResponse response = send(base, method, path, body);
        if (response.getStatus() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.getStatus()
                    + ": " + response.getContentAsString() + (response.getStatus() == 429 ? RATE_LIMITED : ""));
        }
        return response.getContentAsString();
    }

    private ContentResponse send(String base, String method, String path, String body) {
        return send(base, method, path, body, Map.of());
    }

    private ContentResponse send(String base, String method, String path, String body, Map<String, String> headers) {
        Request request = http.newRequest(base + path).method(method).timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        headers.forEach((name, value) -> request.headers(fields -> fields.put(name, value)));
        if (body != null) {
            request.body(new StringRequestContent("application/json", body));
        }
        try {
            return new CompletableResponseListener(request, MAX_ANSWER_BYTES).send().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + " " + path + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        LifeCycle.stop(http);
    }

    private static HttpClient startedClient() {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("load-client");
        threads.setDaemon(true); // like the scheduler's: the run ends when the benchmark's own threads do
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("load-client-timeouts", true));
        client.setConnectTimeout(CONNECT_TIMEOUT_MS);
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear(); // answers as the server sends them: no gzip asked for
        LifeCycle.start(client);
        return client;
    }
}
