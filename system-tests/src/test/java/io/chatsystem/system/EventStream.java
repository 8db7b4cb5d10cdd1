package io.chatsystem.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Server-Sent Events client as a browser's EventSource reads a stream: lines are parsed into events
 * (id, event, data) by a reader thread; comment lines are counted apart.
 */
final class EventStream implements AutoCloseable {

    record Event(int id, String type, JsonNode data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            // as EventSource does: an h2c upgrade attempt on the first request holds back a streamed answer
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();

    final int status;
    final String contentType;
    final String retryAfter;
    private final Stream<String> lines;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final List<String> body = new ArrayList<>();
    private volatile boolean ended;

    private EventStream(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        this.lines = response.body();
        Thread.ofVirtual().start(this::read);
    }

    /** Opens {@code path}'s stream with the given request headers (Last-Event-ID, say). */
    static EventStream open(String baseUrl, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "text/event-stream")
                .GET();
        headers.forEach(request::header);
        try {
            return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        Integer id = null;
        String type = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                String line = iterator.next();
                synchronized (body) {
                    body.add(line);
                }
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id == null ? -1 : id, type, Api.JSON.readTree(data.toString())));
                    }
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id:")) {
                    id = Integer.parseInt(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (RuntimeException closed) {
            // closed by close(), or by the server
        } finally {
            ended = true;
        }
    }

    /** Waits for the server's first line: once it arrives, the stream's subscription is in place. */
    EventStream awaitOpen() throws InterruptedException {
        assertThat(status).as("status of the stream request").isEqualTo(200);
        assertThat(comments.poll(30, TimeUnit.SECONDS)).as("the stream's opening comment").isNotNull();
        return this;
    }

    /** The next comment line, or null if none comes within {@code timeout}. */
    String comment(Duration timeout) throws InterruptedException {
        return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code count} events, failing if they do not arrive within {@code timeout}. */
    List<Event> take(int count, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            Event event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("event %d of %d (got %s)", taken.size() + 1, count, ids(taken)).isNotNull();
            taken.add(event);
        }
        return taken;
    }

    /** Events that arrive within {@code quiet}: none are expected after the last one a test waits for. */
    List<Event> extra(Duration quiet) throws InterruptedException {
        List<Event> extra = new ArrayList<>();
        Event event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        for (; event != null; event = events.poll()) {
            extra.add(event);
        }
        return extra;
    }

    boolean ended() {
        return ended;
    }

    String body() {
        synchronized (body) {
            return String.join("\n", body);
        }
    }

    static List<Integer> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    @Override
    public void close() {
        lines.close();
    }
}
