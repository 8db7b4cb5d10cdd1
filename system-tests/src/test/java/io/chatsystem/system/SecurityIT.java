package io.chatsystem.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The system probed as an attacker would, through the public port (the local run's gateway) and the apps'
 * own ports: tenants stay apart (no token listed or derivable without a secret), operators are
 * authenticated where they should be and nowhere else, guessing is cut off, a few CPU-heavy clients do not
 * turn into an outage for the others, oversized, slow and odd requests get 4xx problem+json (never a 500
 * or a 502), and every answer carries the security headers.
 */
class SecurityIT {

    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;
    /** chat.admin.failed-logins.max-failures */
    private static final int MAX_FAILURES = 5;
    /** chat.web.requests.max-body and the gateway's limit */
    private static final int MAX_BODY = 1024 * 1024;
    /** server.tomcat.connection-timeout (the apps) and the gateway's idle timeout, plus a margin */
    private static final Duration SLOW_CLIENT_DROPPED_WITHIN = Duration.ofSeconds(20);
    /** Two heartbeats of the test stack (chat.streams.heartbeat 2 s) and a margin for a busy machine. */
    private static final Duration STREAM_RELEASED_WITHIN = Duration.ofSeconds(10);
    /** The derivation secret every installation had by default before it was generated per installation. */
    private static final String FORMER_DEFAULT_SECRET = "change-me-chat-system-token-secret";

    private static final SystemUnderTest system = SystemUnderTest.get();
    private static final Api direct = system.api();
    private static Gateway gateway;
    private static Api through;

    @BeforeAll
    static void startGateway() {
        gateway = Gateway.start("127.0.0.1", 0, system.commandSideUrls().stream().map(URI::create).toList(),
                List.of(URI.create(system.querySideUrl())));
        through = new Api(gateway.url(), gateway.url());
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    // ---- tenants

    @Test
    void theListOfEveryApplicationIsForOperatorsOnly() {
        String token = direct.createApplication("a tenant of its own");
        Api.eventually(() -> assertThat(direct.get("/api/v1/applications/" + token).status()).isEqualTo(200));

        for (Api caller : List.of(direct, through)) {
            Api.Response anonymous = caller.get("/api/v1/applications?size=500");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain(token);
            Api.Response wrong = caller.asOperator("not the password").get("/api/v1/applications?size=500");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(token);
        }
        List<JsonNode> listed = direct.asOperator(PASSWORD).getAll("/api/v1/applications", 500);
        assertThat(listed.stream().map(application -> application.get("token").asString())).contains(token);
    }

    /** The token of a keyed creation comes from a secret of this installation, not one anybody can read. */
    @Test
    void aKeyedApplicationsTokenCannotBeComputedFromThePublishedDefault() throws Exception {
        String key = "security-" + System.nanoTime();
        Api.Response created = direct.keyed("POST", "/api/v1/applications", Api.json("name", "keyed"), key);
        assertThat(created.status()).isEqualTo(201);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(FORMER_DEFAULT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String derivable = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOf(mac.doFinal(key.getBytes(StandardCharsets.US_ASCII)), 16));
        assertThat(created.json().get("token").asString()).isNotEqualTo(derivable).hasSize(derivable.length());
    }

    // ---- operators

    /** A credential sent to the public API is not looked at: no 401, whatever it says. */
    @Test
    void thePublicApiIgnoresCredentials() {
        String token = direct.createApplication("credentials ignored");
        Api.eventually(() -> assertThat(direct.get("/api/v1/applications/" + token).status()).isEqualTo(200));
        for (Api caller : List.of(direct, through)) {
            for (String authorization : List.of(Api.basic("wrong"), "Basic " + "x".repeat(40), "Bearer nonsense", Api.basic(PASSWORD))) {
                Api.Response read = caller.send(caller.queryUrl, "GET", "/api/v1/applications/" + token, null, null,
                        Map.of("Authorization", authorization));
                assertThat(read.status()).as(authorization).isEqualTo(200);
            }
        }
    }

    /** Through the public port, where the list of applications is the one operator endpoint. */
    @Test
    void passwordGuessingIsCutOffWithRetryAfter() throws Exception {
        for (int guess = 1; guess <= MAX_FAILURES; guess++) {
            Api.Response wrong = through.asOperator("guess-" + guess).get("/api/v1/applications");
            assertThat(wrong.status()).isEqualTo(401);
        }
        Api.Response refused = through.asOperator("guess-6").get("/api/v1/applications");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isPositive();
        assertThat(direct.admin("GET", "/admin/projections", PASSWORD).status())
                .as("locked out on every port: even the right password is not looked at").isEqualTo(429);

        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(direct.admin("GET", "/admin/projections", PASSWORD).status()).isEqualTo(200);
    }

    /** Health tells anyone UP or DOWN; what is down, metrics and the rest of actuator are for operators. */
    @Test
    void actuatorDetailsNeedTheOperatorCredential() {
        for (String side : List.of(direct.commandUrl, direct.queryUrl)) {
            Api.Response health = direct.send(side, "GET", "/actuator/health", null, null);
            assertThat(health.status()).as(side).isEqualTo(200);
            assertThat(health.json().get("status").asString()).isEqualTo("UP");
            assertThat(health.json().has("components")).as("details for anyone at %s", side).isFalse();
            assertThat(direct.asOperator(PASSWORD).send(side, "GET", "/actuator/health", null, null).json().has("components"))
                    .as("details for an operator at %s", side).isTrue();
            for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/info")) {
                assertThat(direct.send(side, "GET", path, null, null).status()).as(side + path).isEqualTo(401);
            }
            assertThat(direct.asOperator(PASSWORD).send(side, "GET", "/actuator/prometheus", null, null).status())
                    .as(side).isEqualTo(200);
        }
    }

    // ---- saturation

    /**
     * Clients that keep the query side's CPU busy make others wait, not fail: eight connections read the
     * largest message pages as fast as they can while another client reads; it gets only 200s (a store
     * declared down on a missed health probe would answer 503).
     */
    @Test
    void cpuHeavyClientsLeaveOtherClientsServed() throws Exception {
        String token = direct.createApplication("busy");
        int chat = direct.createChat(token);
        for (int i = 0; i < 100; i++) {
            direct.sendMessage(token, chat, "message " + i + " " + "x".repeat(200));
        }
        String page = Api.messagesPath(token, chat) + "?size=100";
        Api.eventually(() -> assertThat(direct.get(page).json().size()).isEqualTo(100));

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger heavyReads = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        try (ExecutorService heavy = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                heavy.submit(() -> {
                    while (running.get()) {
                        direct.get(page);
                        heavyReads.incrementAndGet();
                    }
                    return null;
                });
            }
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                statuses.merge(direct.get("/api/v1/applications/" + token + "/chats/" + chat).status(), 1, Integer::sum);
                Thread.sleep(50);
            }
            running.set(false);
        }
        System.out.printf("saturated query side: %d heavy reads, the other client's answers %s%n", heavyReads.get(), statuses);
        assertThat(statuses).containsOnlyKeys(200);
    }

    // ---- abuse bounded

    /** A body announced larger than the limit is refused before it is sent: the client gets 413 without sending it. */
    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        String token = direct.createApplication("bodies");
        int chat = direct.createChat(token);
        String path = Api.messagesPath(token, chat);
        for (String base : List.of(gateway.url(), direct.commandUrl)) {
            String answer = raw(base, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n", Duration.ofSeconds(5));
            assertThat(answer).as(base).startsWith("HTTP/1.1 413").containsIgnoringCase("application/problem+json");
        }
        Api.Response atTheLimit = direct.send(direct.commandUrl, "POST", path, "application/json",
                "{\"body\":\"" + "x".repeat(MAX_BODY - 20) + "\"}");
        assertThat(atTheLimit.status()).as("under the limit, read and judged by its content (too long a body)").isEqualTo(422);
    }

    @Test
    void jsonTooDeepOrOfTooManyFieldsIs400() {
        String token = direct.createApplication("json limits");
        String path = Api.messagesPath(token, direct.createChat(token));
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            wide.append("\"k").append(i).append("\":1,");
        }
        wide.append("\"body\":\"x\"}");
        String deep = "{\"body\":".repeat(100) + "\"x\"" + "}".repeat(100);
        for (Api caller : List.of(direct, through)) {
            for (String body : List.of(wide.toString(), deep)) {
                Api.Response response = caller.send(caller.commandUrl, "POST", path, "application/json", body);
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
        }
    }

    /** The gateway refuses a header section over 16 KB itself; the apps take what it forwards (24 KB). */
    @Test
    void headersOverTheLimitAre431NeverA502() throws Exception {
        String token = direct.createApplication("headers");
        String path = "/api/v1/applications/" + token;
        Api.eventually(() -> assertThat(direct.get(path).status()).isEqualTo(200));
        Api.Response big = through.send(through.queryUrl, "GET", path, null, null, Map.of("X-Padding", "p".repeat(20_000)));
        assertThat(big.status()).isEqualTo(431);
        assertThat(big.contentType()).startsWith("application/problem+json");
        Api.Response underTheGatewaysLimit = through.send(through.queryUrl, "GET", path, null, null,
                Map.of("X-Padding", "p".repeat(15_000)));
        assertThat(underTheGatewaysLimit.status()).as("forwarded and accepted").isEqualTo(200);
        Api.Response tooBigForTheApp = direct.send(direct.queryUrl, "GET", path, null, null, Map.of("X-Padding", "p".repeat(30_000)));
        assertThat(tooBigForTheApp.status()).isBetween(400, 499);
    }

    /** A client that sends half a request and stalls does not hold its connection. */
    @Test
    void slowClientsAreDropped() throws Exception {
        List<String> bases = List.of(gateway.url(), direct.commandUrl, direct.queryUrl);
        List<Thread> probes = new ArrayList<>();
        Map<String, Duration> heldFor = new ConcurrentHashMap<>();
        for (String base : bases) {
            probes.add(Thread.ofVirtual().start(() -> {
                URI uri = URI.create(base);
                long started = System.nanoTime();
                try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                    socket.setSoTimeout((int) SLOW_CLIENT_DROPPED_WITHIN.toMillis() + 5000);
                    socket.getOutputStream().write("GET /api/v1/applications/x HTTP/1.1\r\nHost: x\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    InputStream in = socket.getInputStream();
                    while (in.read() >= 0) {
                        // an error answer may come first; then the close
                    }
                } catch (SocketTimeoutException e) {
                    return; // never dropped: missing from heldFor
                } catch (IOException e) {
                    // reset: dropped
                }
                heldFor.put(base, Duration.ofNanos(System.nanoTime() - started));
            }));
        }
        for (Thread probe : probes) {
            probe.join();
        }
        System.out.println("slow clients held for " + heldFor);
        assertThat(heldFor).containsOnlyKeys(bases);
        assertThat(heldFor.values()).allSatisfy(held -> assertThat(held).isLessThan(SLOW_CLIENT_DROPPED_WITHIN));
    }

    /** Writes over a limit: 429 with Retry-After and the RateLimit headers; answers under it advertise what is left. */
    @Test
    void writesOverTheRateLimitsAre429WithTheUsualSignals() {
        try (AppProcess limited = system.startCommandSide(Map.of(
                "WRITE_RATE_PER_APPLICATION", "1", "WRITE_BURST_PER_APPLICATION", "5",
                "WRITE_RATE_PER_CLIENT", "1", "WRITE_BURST_PER_CLIENT", "12"))) {
            Api api = new Api(limited.baseUrl(), direct.queryUrl);
            String token = api.createApplication("rate limited");
            Api.Response chat = api.send(api.commandUrl, "POST", "/api/v1/applications/" + token + "/chats", null, null);
            assertThat(chat.status()).isEqualTo(201);
            assertThat(chat.header("RateLimit")).as("what is left, on a write under the limit").isNotNull();
            assertThat(chat.header("RateLimit-Policy")).isNotNull();
            String messages = "/api/v1/applications/" + token + "/chats/1/messages";

            Api.Response refused = sendUntilRefused(api, messages);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body()).contains("application");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            assertThat(refused.header("RateLimit")).matches(".*r=0.*");
            assertThat(refused.header("RateLimit-Policy")).contains("q=5");

            String other = api.createApplication("the same client again");
            Api.Response refusedClient = sendUntilRefused(api, "/api/v1/applications/" + other + "/chats");
            assertThat(refusedClient.body()).contains("client");
            assertThat(refusedClient.header("Retry-After")).isNotNull();
            assertThat(direct.get("/api/v1/applications/" + token).status()).as("reads are not limited").isEqualTo(200);
        }
    }

    private static Api.Response sendUntilRefused(Api api, String path) {
        for (int i = 0; i < 50; i++) {
            Api.Response response = api.send(api.commandUrl, "POST", path, "application/json", "{\"body\":\"m\"}");
            if (response.status() == 429) {
                return response;
            }
            assertThat(response.status()).as(response.body()).isEqualTo(201);
        }
        throw new AssertionError("50 writes in a row were not limited");
    }

    /**
     * A stream whose client went away gives its slot back within seconds, directly and through the gateway (which
     * closes the upstream connection as soon as its client goes; the query side learns it at its next heartbeat,
     * every 2 s here).
     */
    @Test
    void aStreamWhoseClientWentAwayIsClosedWithinSeconds() throws Exception {
        String token = direct.createApplication("streams released");
        int chat = direct.createChat(token);
        String path = Api.messagesPath(token, chat);
        Api.eventually(() -> assertThat(direct.get(path).status()).isEqualTo(200));
        Api operator = direct.asOperator(PASSWORD);
        for (String base : List.of(gateway.url(), direct.queryUrl)) {
            EventStream stream = EventStream.open(base, path + "/stream", Map.of()).awaitOpen();
            double open = openStreams(operator);
            long closedAt = System.nanoTime();
            stream.close();
            Api.eventuallyWithin(STREAM_RELEASED_WITHIN, () -> assertThat(openStreams(operator)).isLessThan(open));
            System.out.printf("a stream through %s released %d ms after its client went%n", base,
                    Duration.ofNanos(System.nanoTime() - closedAt).toMillis());
        }
    }

    private static double openStreams(Api operator) {
        return operator.send(operator.queryUrl, "GET", "/actuator/metrics/chat_streams_open", null, null).json()
                .get("measurements").get(0).get("value").asDouble();
    }

    /** The local run's MariaDB, Redis and Elasticsearch refuse whoever does not give the generated credentials. */
    @Test
    void theStoresLetNobodyInWithoutTheirCredentials() throws Exception {
        String anyDatabase = system.jdbcUrl().replaceFirst("/chat\\?", "/?");
        for (String[] login : List.of(new String[] {"chat", ""}, new String[] {"chat", "chat"}, new String[] {"root", ""},
                new String[] {"", ""})) {
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(anyDatabase, login[0], login[1]).close())
                    .as("MariaDB as %s / %s", login[0], login[1]).isInstanceOf(java.sql.SQLException.class);
        }
        try (Socket redis = new Socket("127.0.0.1", system.redisPort())) {
            redis.setSoTimeout(5000);
            redis.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(redis.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(answer).as("Redis without AUTH").startsWith("-NOAUTH");
        }
        var search = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(system.elasticsearchUrl() + "/_cat/indices")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(search.statusCode()).as("Elasticsearch without credentials").isEqualTo(401);
    }

    // ---- input

    /** Non-ASCII, control and look-alike characters in paths, parameters and headers: 4xx problem+json, never a 500. */
    @Test
    void oddInputIsNeverA500() throws Exception {
        String token = direct.createApplication("odd input");
        int chat = direct.createChat(token);
        Api.eventually(() -> assertThat(direct.get("/api/v1/applications/" + token + "/chats/" + chat).status()).isEqualTo(200));
        List<String> oddTokens = List.of("%C3%A9", "%00", "%0A", "a%2Fb", "%EF%BD%81%EF%BD%82", "..", "%2E%2E", "x".repeat(300),
                token + "%00", token.toUpperCase(), "%FF%FE");
        List<String> oddNumbers = List.of("%EF%BC%91", "%D9%A1", "1e3", "-1", "0", "99999999999999999999", "1%00", "%E2%80%8B1", "0x1");
        List<String> paths = new ArrayList<>();
        for (String odd : oddTokens) {
            paths.add("/api/v1/applications/" + odd);
            paths.add("/api/v1/applications/" + odd + "/chats/1/messages");
        }
        for (String odd : oddNumbers) {
            paths.add("/api/v1/applications/" + token + "/chats/" + odd);
            paths.add("/api/v1/applications/" + token + "/chats/" + chat + "/messages/" + odd);
            paths.add("/api/v1/applications/" + token + "/chats/" + chat + "/messages?after=" + odd);
            paths.add("/api/v1/applications/" + token + "/chats?size=" + odd);
            paths.add("/api/v1/applications/" + token + "/chats/" + chat + "/messages/search?q=" + odd);
        }
        List<String> failures = new ArrayList<>();
        for (Api caller : List.of(direct, through)) {
            for (String path : paths) {
                for (String method : List.of("GET", "POST", "PATCH")) {
                    String base = method.equals("GET") ? caller.queryUrl : caller.commandUrl;
                    String body = method.equals("GET") ? null : "{\"name\":\"n\",\"body\":\"b\"}";
                    Api.Response response;
                    try {
                        response = caller.send(base, method, path, body == null ? null : "application/json", body);
                    } catch (RuntimeException e) {
                        failures.add(method + " " + base + path + " -> " + e.getMessage());
                        continue;
                    }
                    if (response.status() >= 500 || (response.status() >= 400 && !response.contentType().startsWith("application/problem+json"))) {
                        failures.add(method + " " + base + path + " -> " + response.status() + " " + response.contentType());
                    }
                }
            }
            String streamPath = "/api/v1/applications/" + token + "/chats/" + chat + "/messages/stream";
            for (String lastEventId : List.of("-5", "\u0661", "\uFF11", "abc")) {
                String answer = raw(caller.queryUrl, "GET " + streamPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Last-Event-ID: " + lastEventId + "\r\n\r\n", StandardCharsets.UTF_8, Duration.ofSeconds(5));
                if (!answer.startsWith("HTTP/1.1 400")) {
                    failures.add("Last-Event-ID " + lastEventId + " at " + caller.queryUrl + " -> " + answer.lines().findFirst().orElse(""));
                }
            }
            for (String header : List.of("Consistency-Token", "Idempotency-Key")) {
                String answer = raw(caller.commandUrl, "POST /api/v1/applications HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 12\r\n" + header + ": \u00e9\u0001\u00ff\r\n\r\n{\"name\":\"n\"}",
                        StandardCharsets.ISO_8859_1, Duration.ofSeconds(5));
                if (!answer.matches("(?s)HTTP/1.1 4\\d\\d.*") && !answer.startsWith("HTTP/1.1 201")) {
                    failures.add(header + " at " + caller.commandUrl + " -> " + answer.lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    // ---- headers

    /** Answers of every kind carry nosniff, writes and problems no-store; the gateway names no server version. */
    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        String token = direct.createApplication("headers on every answer");
        List<Api.Response> answers = new ArrayList<>();
        for (Api caller : List.of(direct, through)) {
            Api.Response created = caller.send(caller.commandUrl, "POST", "/api/v1/applications/" + token + "/chats", null, null);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Location")).as("relative, never the Host the client sent").startsWith("/api/v1/");
            answers.add(created);
            answers.add(caller.get("/api/v1/applications/" + token));
            answers.add(caller.get("/api/v1/applications/nope"));
            answers.add(caller.get("/api/v1/applications"));
            answers.add(caller.send(caller.commandUrl, "POST", "/api/v1/applications", "text/plain", "x"));
        }
        answers.add(through.get("/nothing-here"));
        for (Api.Response answer : answers) {
            assertThat(answer.header("X-Content-Type-Options")).as(answer.status() + " " + answer.body()).isEqualTo("nosniff");
            if (answer.status() != 200) { // reads keep their own caching; writes and problems are never stored
                assertThat(answer.header("Cache-Control")).as(answer.status() + " " + answer.body()).contains("no-store");
            }
        }
        assertThat(through.get("/nothing-here").header("Server")).isNull();
        assertThat(raw(gateway.url(), "BREW / HTTP/9.9\r\n\r\n", Duration.ofSeconds(5)))
                .as("the gateway's own errors are problem+json too").containsIgnoringCase("application/problem+json")
                .doesNotContainIgnoringCase("<html");
    }

    // ---- raw HTTP

    private static String raw(String base, String request, Duration timeout) throws IOException {
        return raw(base, request, StandardCharsets.US_ASCII, timeout);
    }

    /** Sends {@code request} as it is, reads the answer until the server closes, the timeout or 64 KB. */
    private static String raw(String base, String request, java.nio.charset.Charset charset, Duration timeout) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(charset));
            out.flush();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            InputStream in = socket.getInputStream();
            try {
                for (int n; answer.length() < 65536 && (n = in.read(buffer)) >= 0; ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (answer.indexOf("\r\n\r\n") >= 0 && answer.toString().startsWith("HTTP/1.1 413")) {
                        break; // the answer came before the body was sent
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what came is the answer
            }
            return answer.toString();
        }
    }
}
