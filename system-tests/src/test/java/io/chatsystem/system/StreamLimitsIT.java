package io.chatsystem.system;

import static io.chatsystem.system.Api.eventually;
import static io.chatsystem.system.Api.eventuallyWithin;
import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.chatsystem.stack.AppProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds of the live streams, on a query side of their own with low limits: past
 * {@code chat.streams.max-open} a stream is refused with 503; a client that stops reading is cut off
 * once its queue fills, without holding up the projection, and resumes by id; a client catching up on
 * stored messages is not cut off by the ones sent meanwhile.
 */
class StreamLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern COMPLETE_EVENT =
            Pattern.compile("id: (\\d+)\r?\nevent: message\r?\ndata: [^\r\n]*\r?\n\r?\n");
    private static final Pattern OPEN_STREAMS = Pattern.compile("(?m)^chat_streams_open\\{[^}]*} (\\d+)\\.\\d+$");

    private static AppProcess limited;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api writer = system.api();

    /**
     * One query side for both cases: two streams at most, 20 changes queued per stream, and writes to a
     * client that reads nothing time out after 15 s (Tomcat's connection timeout, 10 s by default): well
     * within {@link #WAIT}, and well beyond the seconds a catching-up client below reads nothing while
     * messages are sent and projected (over Axon Server on a busy machine that took more than 5 s).
     */
    @BeforeAll
    static void startLimitedQuerySide() {
        limited = SystemUnderTest.get().startExtraQuerySide(Map.of("MAX_STREAMS", "2", "CHAT_STREAMS_QUEUECAPACITY", "20",
                "SERVER_TOMCAT_CONNECTIONTIMEOUT", "15s"));
    }

    @AfterAll
    static void stopLimitedQuerySide() {
        limited.close();
    }

    @Test
    void pastTheLimitAStreamIsRefusedWith503UntilOneCloses() throws Exception {
        String token = writer.createApplication("stream limit");
        int chat = writer.createChat(token);
        awaitChat(token, chat);
        String path = messagesPath(token, chat) + "/stream";
        EventStream first = EventStream.open(limited.baseUrl(), path, Map.of()).awaitOpen();
        try (EventStream second = EventStream.open(limited.baseUrl(), path, Map.of()).awaitOpen();
             EventStream third = EventStream.open(limited.baseUrl(), path, Map.of())) {
            assertThat(third.status).isEqualTo(503);
            assertThat(third.contentType).isEqualTo("application/problem+json");
            assertThat(third.retryAfter).as("Retry-After").isNotBlank();
            eventually(() -> assertThat(third.body()).contains("\"status\":503"));

            first.close();
            // the server learns that a client left when it next writes to it
            writer.sendMessage(token, chat, "to notice who left");
            assertThat(EventStream.ids(second.take(1, WAIT))).containsExactly(1);
            eventually(() -> assertThat(openStreams(limited)).isEqualTo(1));
            try (EventStream fourth = EventStream.open(limited.baseUrl(), path, Map.of()).awaitOpen()) {
                int number = writer.sendMessage(token, chat, "for the streams that fit");
                assertThat(EventStream.ids(fourth.take(1, WAIT))).containsExactly(number);
                assertThat(EventStream.ids(second.take(1, WAIT))).containsExactly(number);
            }
        } finally {
            first.close();
        }
        // leave no stream open for the next case: a write shows the server that its clients left
        writer.sendMessage(token, chat, "to notice who left");
        eventually(() -> assertThat(openStreams(limited)).isZero());
    }

    @Test
    void aClientThatStopsReadingIsCutOffWithoutHoldingUpTheProjectionAndResumesById() throws Exception {
        String token = writer.createApplication("slow reader");
        int chat = writer.createChat(token);
        String body = "x".repeat(9_000);
        awaitChat(token, chat);
        // a reader that takes the stream's first lines and then nothing: the server's writes block
        // once the socket buffers are full, and the changes pile up in the stream's queue
        try (Socket slow = streamReadFromTheStart(token, chat)) {
            eventually(() -> assertThat(openStreams(limited)).isEqualTo(1));

            // ~5.4 MB of events: more than the loopback socket buffers hold, then 20 queued changes
            int messages = 600;
            for (int i = 0; i < messages; i++) {
                writer.sendMessage(token, chat, body);
            }
            // the projection went on: every message is readable while the reader still reads nothing
            awaitReadable(token, chat, messages);
            Api reader = new Api(limited.baseUrl(), limited.baseUrl());
            eventuallyWithin(WAIT, () -> assertThat(openStreams(limited)).as("the slow stream was closed").isZero());
            // 4.5 MB of bodies: more than one query answer carries over Axon Server; the page still comes whole
            var page = reader.getJson(messagesPath(token, chat) + "?size=500");
            assertThat(page.size()).isEqualTo(500);
            assertThat(page.get(499).get("number").asInt()).isEqualTo(500);

            // what the reader had been sent ends there: the last complete event's id is where it resumes
            int lastId = lastEventId(drain(slow.getInputStream()));
            assertThat(lastId).as("events delivered before the cut").isLessThan(messages);
            try (EventStream resumed = EventStream.open(limited.baseUrl(), messagesPath(token, chat) + "/stream",
                    Map.of("Last-Event-ID", Integer.toString(lastId))).awaitOpen()) {
                List<Integer> rest = EventStream.ids(resumed.take(messages - lastId, WAIT));
                assertThat(rest).first().isEqualTo(lastId + 1);
                assertThat(rest).last().isEqualTo(messages);
            }
        }
    }

    @Test
    void aClientCatchingUpIsNotCutOffByTheMessagesSentMeanwhile() throws Exception {
        String token = writer.createApplication("catching up");
        int chat = writer.createChat(token);
        String body = "y".repeat(9_000);
        int stored = 400;
        int meanwhile = 30;
        for (int i = 0; i < stored; i++) {
            writer.sendMessage(token, chat, body);
        }
        awaitReadable(token, chat, stored);
        // 3.6 MB of stored events, read from the start by a client that takes only the first lines for now:
        // the catch-up waits for it, and more messages than the stream's queue holds (20) come meanwhile
        try (Socket client = streamReadFromTheStart(token, chat)) {
            for (int i = 1; i <= meanwhile; i++) {
                writer.sendMessage(token, chat, "meanwhile " + i);
            }
            awaitReadable(token, chat, stored + meanwhile);

            // it reads now: everything, once and in order, the stream still open
            List<Integer> ids = eventIds(client.getInputStream(), stored + meanwhile);
            assertThat(ids).isEqualTo(IntStream.rangeClosed(1, stored + meanwhile).boxed().toList());
            assertThat(openStreams(limited)).isEqualTo(1);
        }
        // the other cases count this query side's streams: wait until it has noticed the client left
        eventually(() -> assertThat(openStreams(limited)).isZero());
    }

    /** A stream of the chat from its first message on the limited query side, over a socket that buffers little. */
    private static Socket streamReadFromTheStart(String token, int chat) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(1_000);
        URI query = URI.create(limited.baseUrl());
        socket.connect(new InetSocketAddress(query.getHost(), query.getPort()));
        socket.getOutputStream().write(("GET " + messagesPath(token, chat) + "/stream?after=0 HTTP/1.1\r\nHost: "
                + query.getHost() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(head).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    /** Until the limited query side reads message {@code number} of the chat. */
    private static void awaitReadable(String token, int chat, int number) {
        Api reader = new Api(limited.baseUrl(), limited.baseUrl());
        eventually(() -> assertThat(reader.getJson(messagesPath(token, chat) + "/" + number).get("number").asInt())
                .isEqualTo(number));
    }

    /** Until the limited query side knows the chat (a stream of an unknown chat is a 404). */
    private static void awaitChat(String token, int chat) {
        Api reader = new Api(limited.baseUrl(), limited.baseUrl());
        eventually(() -> assertThat(reader.get("/api/v1/applications/" + token + "/chats/" + chat).status()).isEqualTo(200));
    }

    /** Everything the server sent until it closed the connection. */
    private static String drain(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return read.toString(StandardCharsets.UTF_8);
                }
                read.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                // nothing this second: wait on until the deadline
            }
        }
        throw new AssertionError("the server did not close the slow stream; read " + read.size() + " bytes");
    }

    /** The ids of the complete events read until {@code count} have come (or WAIT has passed). */
    private static List<Integer> eventIds(InputStream in, int count) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Integer> ids = List.of();
        while (ids.size() < count && System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                // nothing new this second: look at what came
            }
            ids = completeEventIds(read.toString(StandardCharsets.UTF_8));
        }
        return ids;
    }

    /** The id of the last event complete in a raw (chunked) stream: only whole events count. */
    private static int lastEventId(String raw) {
        List<Integer> ids = completeEventIds(raw);
        return ids.isEmpty() ? 0 : ids.getLast();
    }

    /** The ids of the events complete in a raw (chunked) stream, in the order they came. */
    private static List<Integer> completeEventIds(String raw) {
        Matcher events = COMPLETE_EVENT.matcher(raw.replaceAll("\r\n[0-9a-f]+\r\n", ""));
        List<Integer> ids = new ArrayList<>();
        while (events.find()) {
            ids.add(Integer.parseInt(events.group(1)));
        }
        return ids;
    }

    private static int openStreams(AppProcess querySide) {
        Api.Response metrics = new Api(querySide.baseUrl(), querySide.baseUrl()).asOperator(SystemUnderTest.ADMIN_PASSWORD).get("/actuator/prometheus");
        Matcher open = OPEN_STREAMS.matcher(metrics.body());
        assertThat(open.find()).as("chat_streams_open in %s", querySide.name()).isTrue();
        return Integer.parseInt(open.group(1));
    }
}
