package io.chatsystem.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Replays each projection, then all of them, through the admin API, and times how fast they rebuild. */
final class ReplayThroughput {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String queryUrl;
    private final String authorization;

    ReplayThroughput(String queryUrl, String adminPassword) {
        this.queryUrl = queryUrl;
        this.authorization = Client.operatorAuthorization(adminPassword);
    }

    long head() throws Exception {
        long head = 0;
        for (JsonNode status : statuses()) {
            head = Math.max(head, status.get("head").asLong());
        }
        return head;
    }

    void awaitCaughtUp() throws Exception {
        while (!done()) {
            Thread.sleep(200);
        }
    }

    void measure() throws Exception {
        awaitCaughtUp();
        long events = head();
        List<String> names = new ArrayList<>();
        statuses().forEach(status -> names.add(status.get("name").asString()));
        System.out.printf("%nreplay of %d events (one query side, co-located with everything else):%n", events);
        for (String name : names) {
            time("projection " + name, "/admin/projections/" + name + "/replay", events);
        }
        time("all projections at once", "/admin/projections/replay", events);
    }

    private void time(String what, String path, long events) throws Exception {
        long started = System.nanoTime();
        replay(path);
        awaitCaughtUp();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("  %-28s %8.1f s  %10.0f events/s%n", what, seconds, events / seconds);
    }

    /** Asks for a replay; answers once it has been accepted (the tokens are reset). */
    void replay(String path) throws Exception {
        HttpResponse<String> response = http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Until no projection replays on any instance (new events keep coming: the lag need not reach 0). */
    void awaitNotReplaying() throws Exception {
        while (true) {
            boolean replaying = false;
            for (JsonNode status : statuses()) {
                replaying |= status.get("replaying").asBoolean();
            }
            if (!replaying) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Whether every segment of every projection is held, by another instance than process {@code pid}. */
    boolean everySegmentHeldByOtherThan(long pid) throws Exception {
        for (JsonNode status : statuses()) {
            for (JsonNode segment : status.get("segments")) {
                JsonNode owner = segment.get("owner");
                if (owner == null || owner.isNull() || owner.asString().startsWith(pid + "@")) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean done() throws Exception {
        for (JsonNode status : statuses()) {
            if (status.get("replaying").asBoolean() || status.get("lag").isNull() || status.get("lag").asLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private JsonNode statuses() throws Exception {
        HttpResponse<String> response = http.send(request("/admin/projections").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin API answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(queryUrl + path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization);
    }
}
