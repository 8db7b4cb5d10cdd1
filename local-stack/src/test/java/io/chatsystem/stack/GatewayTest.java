package io.chatsystem.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway in front of two upstreams that answer with what they received. */
class GatewayTest {

    private static HttpServer commandSide;
    private static HttpServer querySide;
    private static Gateway gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        commandSide = echo("command");
        querySide = echo("query");
        gateway = Gateway.start("127.0.0.1", 0, uri(commandSide), uri(querySide));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        commandSide.stop(0);
        querySide.stop(0);
    }

    @Test
    void writesGoToTheCommandSideWithTheirBody() throws Exception {
        HttpResponse<String> post = send("POST", "/api/v1/applications", "{\"name\":\"x\"}");
        HttpResponse<String> put = send("PUT", "/api/v1/applications/t/chats/1/messages/2", "{\"body\":\"é\"}");

        assertThat(post.body()).isEqualTo("command POST /api/v1/applications null {\"name\":\"x\"}");
        assertThat(put.body()).isEqualTo("command PUT /api/v1/applications/t/chats/1/messages/2 null {\"body\":\"é\"}");
        assertThat(post.statusCode()).isEqualTo(201);
    }

    @Test
    void readsGoToTheQuerySideWithTheirQueryStringUntouched() throws Exception {
        HttpResponse<String> get = send("GET", "/api/v1/applications/t/chats/1/messages/search?q=h%C3%A9llo+w%26rld&page=2", null);

        assertThat(get.body()).isEqualTo("query GET /api/v1/applications/t/chats/1/messages/search q=h%C3%A9llo+w%26rld&page=2 ");
    }

    @Test
    void eachSideServesItsOpenApiDescription() throws Exception {
        assertThat(send("GET", "/v3/api-docs/command", null).body()).isEqualTo("command GET /v3/api-docs null ");
        assertThat(send("GET", "/v3/api-docs/query", null).body()).isEqualTo("query GET /v3/api-docs null ");
    }

    @Test
    void theWholeApisDescriptionAndItsConsoleComeFromTheQuerySide() throws Exception {
        assertThat(send("GET", "/v3/api-docs", null).body()).isEqualTo("query GET /v3/api-docs/public null ");
        assertThat(send("GET", "/v3/api-docs/swagger-config", null).body()).isEqualTo("query GET /v3/api-docs/swagger-config null ");
        assertThat(send("GET", "/swagger-ui/index.html", null).body()).isEqualTo("query GET /swagger-ui/index.html null ");
        HttpResponse<String> root = send("GET", "/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/swagger-ui/index.html"));
    }

    @Test
    void adminActuatorAndUnknownPathsAreNotExposed() throws Exception {
        for (String path : new String[] {"/admin/projections", "/actuator/health", "/actuator/prometheus", "/swagger-ui.html",
                "/v3/api-docs/other"}) {
            HttpResponse<String> response = send("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        assertThat(send("POST", "/admin/projections/search/replay", "").statusCode()).isEqualTo(404);
    }

    @Test
    void anUpstreamThatIsDownIsABadGatewayToTryAgainShortly() throws Exception {
        try (DownAddress down = new DownAddress();
             Gateway broken = Gateway.start("127.0.0.1", 0, down.uri(), down.uri())) {
            down.release();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(broken.url() + "/api/v1/applications")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(502);
            assertProblem(response.statusCode(), response.headers().map(), response.body(), "Bad Gateway");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    void itsOwnAnswersAreProblemsNeverStoredNorSniffedAndNameNoSoftware() throws Exception {
        HttpResponse<String> notRouted = send("GET", "/actuator/health", null);
        assertProblem(notRouted.statusCode(), notRouted.headers().map(), notRouted.body(), "Not Found");
        assertThat(notRouted.body()).contains("The gateway serves /api/v1");

        HttpResponse<String> redirect = send("GET", "/", null);
        assertThat(redirect.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");

        // the upstream's answer passes, without the name of its software (the echo sends one)
        HttpResponse<String> proxied = send("GET", "/api/v1/applications", null);
        assertThat(proxied.statusCode()).isEqualTo(200);
        for (HttpResponse<String> response : List.of(notRouted, redirect, proxied)) {
            assertThat(response.headers().firstValue("Server")).as(response.uri().toString()).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).as(response.uri().toString()).isEmpty();
        }
    }

    @Test
    void aRequestJettyCannotParseOrTheGatewayRefusesIsAProblem() throws Exception {
        RawResponse malformed = exchange(gateway, "GET /api/v1/applications HTTP/1.1\r\nHost: gateway\r\nNo colon in this header\r\n\r\n");
        assertThat(malformed.status()).isEqualTo(400);
        assertProblem(malformed.status(), malformed.headers(), malformed.body(), "Bad Request");

        RawResponse trace = exchange(gateway, "TRACE /api/v1/applications HTTP/1.1\r\nHost: gateway\r\n\r\n");
        assertThat(trace.status()).as("TRACE, as nginx").isEqualTo(405);
        assertProblem(trace.status(), trace.headers(), trace.body(), "Method Not Allowed");

        RawResponse longLine = exchange(gateway, "GET /api/v1/" + "a".repeat(Gateway.MAX_HEADER_SIZE + 1) + " HTTP/1.1\r\nHost: gateway\r\n\r\n");
        assertThat(longLine.status()).isEqualTo(414);
        assertProblem(longLine.status(), longLine.headers(), longLine.body(), "URI Too Long");
    }

    @Test
    void headersOverSixteenKilobytesAreRefusedAndUnderItReachTheSide() throws Exception {
        HttpResponse<String> over = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/applications"))
                .header("X-Padding", "x".repeat(Gateway.MAX_HEADER_SIZE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(over.statusCode()).isEqualTo(431);
        assertProblem(over.statusCode(), over.headers().map(), over.body(), "Request Header Fields Too Large");

        // forwarded with the gateway's own headers, over the upstream client's default buffer of 4 KB: not a 502
        HttpResponse<String> under = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/applications"))
                .header("X-Padding", "x".repeat(Gateway.MAX_HEADER_SIZE - 1024)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(under.statusCode()).isEqualTo(200);
        assertThat(under.body()).startsWith("query GET /api/v1/applications");
    }

    @Test
    void theClientsAddressIsForwardedAsNginxForwardsItAndNotAsTheClientClaims() throws Exception {
        HttpResponse<String> direct = send("GET", "/api/v1/applications", null);
        HttpResponse<String> claiming = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/applications"))
                .header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(direct.headers().firstValue("X-Echo-Forwarded-For")).hasValue("127.0.0.1");
        assertThat(direct.headers().firstValue("X-Echo-Forwarded-Proto")).hasValue("http");
        assertThat(direct.headers().firstValue("X-Echo-Via")).hasValue("null");
        assertThat(direct.headers().firstValue("X-Echo-User-Agent")).hasValueSatisfying(agent -> assertThat(agent)
                .startsWith("Java-http-client").doesNotContain("Jetty"));
        assertThat(claiming.headers().firstValue("X-Echo-Forwarded-For")).hasValue("127.0.0.1");
        assertThat(claiming.headers().firstValue("X-Echo-Forwarded-Proto")).hasValue("http");
        assertThat(claiming.headers().firstValue("X-Echo-Forwarded-Host")).hasValue("null");
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        // the headers alone: the answer comes without a byte of the body
        RawResponse refused = exchange(gateway, "POST /api/v1/applications HTTP/1.1\r\nHost: gateway\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (Gateway.Limits.DEFAULT_MAX_BODY_SIZE + 1) + "\r\n\r\n");

        assertThat(refused.status()).isEqualTo(413);
        assertProblem(refused.status(), refused.headers(), refused.body(), "Payload Too Large");
        assertThat(refused.body()).contains("limit of 1048576 bytes");
        assertThat(refused.headers()).containsEntry("connection", List.of("close"));
    }

    @Test
    void theBodyLimitHoldsForDeclaredAndChunkedBodies() throws Exception {
        int limit = 100;
        try (Gateway small = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide)),
                Gateway.Limits.defaults().withMaxBodySize(limit))) {
            assertThat(post(small, "x".repeat(limit), false).statusCode()).isEqualTo(201);
            assertThat(post(small, "x".repeat(limit), true).statusCode()).isEqualTo(201);

            HttpResponse<String> declared = post(small, "x".repeat(limit + 1), false);
            assertProblem(declared.statusCode(), declared.headers().map(), declared.body(), "Payload Too Large");
            HttpResponse<String> chunked = post(small, "x".repeat(limit + 1), true);
            assertProblem(chunked.statusCode(), chunked.headers().map(), chunked.body(), "Payload Too Large");
            assertThat(chunked.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void theLimitsComeFromSystemProperties() {
        assertThat(Gateway.Limits.fromSystemProperties()).isEqualTo(Gateway.Limits.defaults());
        assertThat(Gateway.Limits.defaults().maxBodySize()).isEqualTo(1_048_576);
        System.setProperty("gateway.maxBodySize", "2048");
        System.setProperty("gateway.idleTimeout", "1500ms");
        System.setProperty("gateway.headerTimeout", "20s");
        try {
            assertThat(Gateway.Limits.fromSystemProperties())
                    .isEqualTo(new Gateway.Limits(2048, Duration.ofMillis(1500), Duration.ofSeconds(20)));
        } finally {
            System.clearProperty("gateway.maxBodySize");
            System.clearProperty("gateway.idleTimeout");
            System.clearProperty("gateway.headerTimeout");
        }
    }

    @Test
    void aClientThatStopsInItsHeaderIsDroppedAfterTheIdleTimeout() throws Exception {
        try (Gateway strict = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide)),
                Gateway.Limits.defaults().withIdleTimeout(SHORT));
             Socket socket = connect(strict)) {
            write(socket, "GET /api/v1/applica");
            long sent = System.nanoTime();

            assertThat(readUntilClosed(socket, Duration.ofSeconds(5))).as("closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(SHORT.multipliedBy(3));
        }
    }

    @Test
    void aClientThatTricklesItsHeaderIsDroppedAfterTheHeaderTimeout() throws Exception {
        try (Gateway strict = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide)),
                Gateway.Limits.defaults().withIdleTimeout(SHORT).withHeaderTimeout(SHORT));
             Socket socket = connect(strict)) {
            write(socket, "GET /api/v1/applications HTTP/1.1\r\nHost: gateway\r\nX-Slow: ");
            long began = System.nanoTime();
            boolean closed = false;
            // a byte well within the idle timeout, for four header timeouts
            while (!closed && System.nanoTime() - began < SHORT.multipliedBy(4).toNanos()) {
                try {
                    write(socket, "x");
                } catch (IOException e) {
                    closed = true;
                }
                closed = closed || readUntilClosed(socket, SHORT.dividedBy(4));
            }
            assertThat(closed).as("closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(SHORT.multipliedBy(3));
        }
    }

    @Test
    void aClientThatTricklesOrStopsItsBodyIsRefused() throws Exception {
        try (Gateway strict = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide)),
                Gateway.Limits.defaults().withIdleTimeout(SHORT))) {
            String headers = "POST /api/v1/applications HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n";
            try (Socket trickling = connect(strict)) {
                write(trickling, headers);
                long began = System.nanoTime();
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 1000; i++) {
                            write(trickling, "x");
                            Thread.sleep(SHORT.dividedBy(5));
                        }
                    } catch (IOException | InterruptedException e) {
                        // refused, as expected
                    }
                });
                RawResponse refused = RawResponse.read(trickling.getInputStream());
                trickle.interrupt();
                assertThat(refused.status()).isEqualTo(408);
                assertProblem(refused.status(), refused.headers(), refused.body(), "Request Timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(SHORT.multipliedBy(4));
            }
            try (Socket stopping = connect(strict)) {
                write(stopping, headers + "x".repeat(10));
                long sent = System.nanoTime();
                RawResponse refused = RawResponse.read(stopping.getInputStream());
                assertThat(refused.status()).isEqualTo(408);
                assertProblem(refused.status(), refused.headers(), refused.body(), "Request Timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(SHORT.multipliedBy(4));
            }
        }
    }

    @Test
    void aLiveStreamOutlivesTheIdleTimeoutBetweenItsEvents() throws Exception {
        try (StreamUpstream upstream = new StreamUpstream(SHORT.multipliedBy(3));
             Gateway strict = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(upstream.uri()),
                     Gateway.Limits.defaults().withIdleTimeout(SHORT));
             Socket client = connect(strict)) {
            write(client, "GET " + STREAM_PATH + " HTTP/1.1\r\nHost: gateway\r\nAccept: text/event-stream\r\n\r\n");

            String received = readUntil(client, "data: second", Duration.ofSeconds(10));
            assertThat(received).startsWith("HTTP/1.1 200").contains("data: first").contains("data: second");
        }
    }

    @Test
    void aLiveStreamsUpstreamIsReleasedAsSoonAsItsClientGoes() throws Exception {
        // the upstream writes nothing after its first event: only the gateway can tell it the client went
        try (StreamUpstream upstream = new StreamUpstream(null);
             Gateway released = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(upstream.uri()))) {
            long left;
            try (Socket client = connect(released)) {
                write(client, "GET " + STREAM_PATH + " HTTP/1.1\r\nHost: gateway\r\nAccept: text/event-stream\r\n\r\n");
                assertThat(readUntil(client, "data: first", Duration.ofSeconds(5))).contains("data: first");
                left = System.nanoTime();
            }

            assertThat(upstream.closed.await(STREAM_RELEASE.toSeconds() + 2, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
            assertThat(Duration.ofNanos(upstream.closedAt - left)).isLessThan(STREAM_RELEASE);
        }
    }

    @Test
    void severalInstancesOfASideAreTakenInTurnAndOneThatIsDownIsPassedOver() throws Exception {
        HttpServer second = echo("second");
        try (DownAddress down = new DownAddress();
             Gateway pair = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide), uri(second)));
             Gateway halfDown = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(down.uri(), uri(querySide)))) {
            down.release();
            List<String> answeredBy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answeredBy.add(get(pair, "/api/v1/applications").body().split(" ")[0]);
            }
            assertThat(answeredBy).containsExactly("query", "second", "query", "second");

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(get(halfDown, "/api/v1/applications").statusCode());
            }
            // the first request finds the instance down; from then on it is passed over
            assertThat(statuses).containsExactly(502, 200, 200, 200, 200, 200);
        } finally {
            second.stop(0);
        }
    }

    @Test
    void writesToOneAggregateGoToOneCommandSideWhileItIsUp() throws Exception {
        HttpServer second = echo("second");
        try (Gateway pair = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide), uri(second)), List.of(uri(querySide)))) {
            Set<String> chatOne = new HashSet<>();
            Set<String> anyChat = new HashSet<>();
            Set<String> newApplications = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                chatOne.add(post(pair, "/api/v1/applications/t/chats/1/messages"));
                chatOne.add(put(pair, "/api/v1/applications/t/chats/1/messages/" + (i + 1)));
                anyChat.add(post(pair, "/api/v1/applications/t/chats/" + (i + 1) + "/messages"));
                newApplications.add(post(pair, "/api/v1/applications"));
            }
            assertThat(chatOne).as("sends and edits in chat 1").hasSize(1);
            assertThat(anyChat).as("chats spread over the instances").containsExactlyInAnyOrder("command", "second");
            assertThat(newApplications).as("new applications in turn").containsExactlyInAnyOrder("command", "second");

            // the chat's instance goes down: after the refusal its writes go to the other one
            boolean firstOwns = chatOne.contains("command");
            try (DownAddress down = new DownAddress();
                 Gateway ownerDown = Gateway.start("127.0.0.1", 0, firstOwns ? List.of(down.uri(), uri(second))
                         : List.of(uri(commandSide), down.uri()), List.of(uri(querySide)))) {
                down.release();
                List<Integer> statuses = new ArrayList<>();
                Set<String> answeredBy = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> sent = send(ownerDown, "POST", "/api/v1/applications/t/chats/1/messages");
                    statuses.add(sent.statusCode());
                    if (sent.statusCode() == 201) {
                        answeredBy.add(sent.body().split(" ")[0]);
                    }
                }
                assertThat(statuses).containsExactly(502, 201, 201);
                assertThat(answeredBy).containsExactly(firstOwns ? "second" : "command");
            }
        } finally {
            second.stop(0);
        }
    }

    /** The idle and header timeouts of the gateways that test them. */
    private static final Duration SHORT = Duration.ofSeconds(1);
    /** How soon a live stream's upstream connection is let go after its client went. */
    private static final Duration STREAM_RELEASE = Duration.ofSeconds(3);
    private static final String STREAM_PATH = "/api/v1/applications/t/chats/1/messages/stream";

    /**
     * A query side serving one live stream: its first event at once, a second one {@code secondAfter} later (and
     * the stream's end), or nothing more for null; it notes when the gateway closes the connection.
     */
    private static final class StreamUpstream implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Duration secondAfter;
        final CountDownLatch closed = new CountDownLatch(1);
        volatile long closedAt;

        StreamUpstream(Duration secondAfter) throws IOException {
            this.secondAfter = secondAfter;
            Thread.ofVirtual().start(this::serve);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void serve() {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                readHeader(in);
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                chunk(out, "id: 1\nevent: message\ndata: first\n\n");
                if (secondAfter != null) {
                    Thread.sleep(secondAfter);
                    chunk(out, "id: 2\nevent: message\ndata: second\n\n");
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                while (in.read() >= 0) {
                    // the gateway has nothing more to send: wait for it to close
                }
            } catch (IOException | InterruptedException e) {
                // closed (reset) by the gateway, or by close()
            }
            closedAt = System.nanoTime();
            closed.countDown();
        }

        private static void chunk(OutputStream out, String data) throws IOException {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** An answer read off a socket: status, headers (names in lower case) and body. */
    private record RawResponse(int status, Map<String, List<String>> headers, String body) {

        static RawResponse read(InputStream in) throws IOException {
            String[] lines = readHeader(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            byte[] body;
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
            } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(readLine(in), 16)) > 0; readLine(in)) {
                    chunks.write(in.readNBytes(size));
                }
                body = chunks.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    /** Reads up to and with the blank line that ends a header. */
    private static String readHeader(InputStream in) throws IOException {
        StringBuilder header = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            header.append((char) b);
            if (header.toString().endsWith("\r\n\r\n")) {
                return header.substring(0, header.length() - 4);
            }
        }
        throw new IOException("closed in the header: " + header);
    }

    private static Socket connect(Gateway gateway) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static RawResponse exchange(Gateway gateway, String request) throws IOException {
        try (Socket socket = connect(gateway)) {
            write(socket, request);
            return RawResponse.read(socket.getInputStream());
        }
    }

    /** Whether the other end closed the connection within {@code wait}, anything it sent meanwhile read and dropped. */
    private static boolean readUntilClosed(Socket socket, Duration wait) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        int timeout = socket.getSoTimeout();
        try {
            while (System.nanoTime() < until) {
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(until - System.nanoTime()).toMillis()));
                try {
                    if (socket.getInputStream().read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (IOException e) {
                    return true; // reset
                }
            }
            return false;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** What came on the socket up to and with {@code text}. */
    private static String readUntil(Socket socket, String text, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        StringBuilder received = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int b; !received.toString().contains(text) && (b = in.read()) >= 0; ) {
            received.append((char) b);
        }
        return received.toString();
    }

    private static void assertProblem(int status, Map<String, List<String>> headers, String body, String title) {
        Map<String, List<String>> lowerCase = new LinkedHashMap<>();
        headers.forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT), values));
        assertThat(lowerCase.get("content-type")).as("content type").containsExactly("application/problem+json");
        assertThat(lowerCase.get("x-content-type-options")).as("nosniff").containsExactly("nosniff");
        assertThat(lowerCase.get("cache-control")).as("no-store").containsExactly("no-store");
        assertThat(lowerCase).as("server").doesNotContainKey("server");
        assertThat(body).startsWith("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"")
                .endsWith("\"}");
    }

    private static HttpResponse<String> post(Gateway gateway, String body, boolean chunked) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/applications")).POST(publisher)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A loopback address that refuses connections. Its port stays bound until the gateways under test
     * have bound theirs: a port merely found free may be handed to the next server that binds port 0
     * (CI once saw the "down" instance answer, being the gateway itself).
     */
    private static final class DownAddress implements AutoCloseable {

        private final ServerSocket held;

        DownAddress() throws IOException {
            held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + held.getLocalPort());
        }

        /** From now on nothing listens there. */
        void release() throws IOException {
            held.close();
        }

        @Override
        public void close() throws IOException {
            held.close();
        }
    }

    private static String post(Gateway gateway, String path) throws Exception {
        return send(gateway, "POST", path).body().split(" ")[0];
    }

    private static String put(Gateway gateway, String path) throws Exception {
        return send(gateway, "PUT", path).body().split(" ")[0];
    }

    private static HttpResponse<String> send(Gateway gateway, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Answers "{name} {method} {raw path} {raw query} {body}", 201 to a POST, with the forwarding headers it got
     * as X-Echo-* headers (X-Echo-Forwarded-For for X-Forwarded-For), and the name of its software.
     */
    private static HttpServer echo(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            byte[] answer = (name + " " + exchange.getRequestMethod() + " " + uri.getRawPath() + " " + uri.getRawQuery()
                    + " " + body).getBytes(StandardCharsets.UTF_8);
            for (String forwarding : List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Via", "User-Agent")) {
                exchange.getResponseHeaders().add("X-Echo-" + forwarding.replaceFirst("^X-", ""), String.valueOf(exchange.getRequestHeaders().get(forwarding) == null
                        ? null : String.join(", ", exchange.getRequestHeaders().get(forwarding))));
            }
            exchange.getResponseHeaders().add("Server", "echo/1.0");
            exchange.sendResponseHeaders("POST".equals(exchange.getRequestMethod()) ? 201 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
