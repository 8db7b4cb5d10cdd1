package io.chatsystem.benchmark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.Properties;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cost of one flush of count figures for {@code chats} changed chats: seeds that many chat rows
 * in MySQL and changed figures in Redis, waits for the query side's next scheduled flush, and reads
 * its duration from the query side's metrics.
 */
final class CountsFlushCost {

    private static final String TOKEN = "benchmarkFlushCost0000";
    /** The messages' figures of the counts read model's first version, the live one of a stack the benchmark started. */
    private static final String FIGURES = "chat:counts:v1:messages";
    private static final String METRIC = "/actuator/metrics/chat.counts.flush?tag=kind:MESSAGES_PER_CHAT";

    private final String jdbcUrl;
    private final String jdbcPassword;
    private final int redisPort;
    private final String redisPassword;
    private final String queryUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private final String authorization;

    CountsFlushCost(String jdbcUrl, String jdbcPassword, int redisPort, String redisPassword, String queryUrl,
                    String adminPassword) {
        this.authorization = Client.operatorAuthorization(adminPassword);
        this.jdbcUrl = jdbcUrl;
        this.jdbcPassword = jdbcPassword;
        this.redisPort = redisPort;
        this.redisPassword = redisPassword;
        this.queryUrl = queryUrl;
    }

    void measure(int chats) throws Exception {
        Properties batched = new Properties();
        batched.setProperty("user", "chat");
        batched.setProperty("password", jdbcPassword);
        batched.setProperty("rewriteBatchedStatements", "true");
        try (var connection = DriverManager.getConnection(jdbcUrl, batched);
             var insert = connection.prepareStatement("INSERT IGNORE INTO chats (application_token, number, created_at)"
                     + " VALUES (?, ?, NOW(6))")) {
            for (int n = 1; n <= chats; n++) {
                insert.setString(1, TOKEN);
                insert.setInt(2, n);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        double flushesBefore = statistic("COUNT");
        try (Socket socket = new Socket("127.0.0.1", redisPort);
             var out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
             var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            if (redisPassword != null) {
                out.write(command("AUTH", redisPassword));
                out.flush();
                String auth = in.readLine();
                if (!"+OK".equals(auth)) {
                    throw new IllegalStateException("Redis refused AUTH: " + auth);
                }
            }
            out.write(command("MULTI"));
            for (int n = 1; n <= chats; n++) {
                out.write(command("HSET", FIGURES, TOKEN + ":" + n, "7"));
                out.write(command("SADD", FIGURES + ":dirty", TOKEN + ":" + n));
            }
            out.write(command("EXEC"));
            out.flush();
            for (int i = 0; i < 2 * chats + 2; i++) {
                in.readLine();
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (statistic("COUNT") <= flushesBefore) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no flush within a minute");
            }
            Thread.sleep(100);
        }
        double seconds = statistic("MAX");
        int written;
        try (var connection = DriverManager.getConnection(jdbcUrl, "chat", jdbcPassword);
             var count = connection.prepareStatement(
                     "SELECT COUNT(*) FROM chats WHERE application_token = ? AND messages_count = 7")) {
            count.setString(1, TOKEN);
            try (var rows = count.executeQuery()) {
                rows.next();
                written = rows.getInt(1);
            }
        }
        System.out.printf("%ncount flush of %d changed chats: %.1f ms in one run of 5 SQL statements"
                + " (temporary table, batched insert, joined UPDATE, missing-row check, drop); %d rows updated%n",
                chats, seconds * 1000, written);
    }

    private double statistic(String name) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(queryUrl + METRIC))
                        .header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        for (JsonNode measurement : json.readTree(response.body()).get("measurements")) {
            if (measurement.get("statistic").asString().equals(name)) {
                return measurement.get("value").asDouble();
            }
        }
        return 0;
    }

    private static String command(String... parts) {
        StringBuilder out = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            out.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return out.toString();
    }
}
