package io.chatsystem.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the tests read from Axon Server itself, over its HTTP API (events and snapshots as server-sent events). */
final class AxonServerHttp {

    private static final int DEFAULT_HTTP_PORT = 8024;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private AxonServerHttp(URI base) {
        this.base = base;
    }

    /** {@code servers}: the gRPC {@code host:port} the apps use; the HTTP API is on the same host. */
    static AxonServerHttp of(String servers) {
        String host = servers.split(",")[0].split(":")[0];
        String port = System.getenv().getOrDefault("AXONSERVER_HTTP_PORT", Integer.toString(DEFAULT_HTTP_PORT));
        return new AxonServerHttp(URI.create("http://" + host + ":" + port));
    }

    long snapshotSequence(String aggregateId) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/snapshots?aggregateId="
                        + URLEncoder.encode(aggregateId, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            long newest = -1;
            for (String line : body.split("\n")) {
                if (line.startsWith("data:") && line.contains("aggregateSequenceNumber")) {
                    JsonNode snapshot = json.readTree(line.substring("data:".length()));
                    newest = Math.max(newest, snapshot.get("aggregateSequenceNumber").asLong());
                }
            }
            return newest;
        } catch (IOException e) {
            throw new IllegalStateException("Axon Server's HTTP API at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
