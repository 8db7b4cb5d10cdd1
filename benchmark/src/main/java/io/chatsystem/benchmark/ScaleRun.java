package io.chatsystem.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The opt-in scale row ({@code --rows=scale}): fills a million messages through the real write path,
 * one chat holding a tenth of them, then measures reads on that big chat and the size of each store.
 */
final class ScaleRun {

    /** The other messages go to this many chats, from this many clients: busy chats share their appends. */
    private static final int OTHER_CHATS = 30;
    private static final int FILL_CLIENTS = 256;
    private static final int HOT_FILL_CLIENTS = 64;
    private static final int LIST_PAGE_SIZE = 50;
    /** Searches in one round of the search warm-up, which runs rounds until its time is up. */
    static final int SEARCH_WARM_UP_ROUND = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Settled: the stack's processes (not the load generator) use less than this many cores... */
    private static final double QUIET_CORES = 0.1;
    /** ...over this many intervals in a row... */
    private static final int QUIET_INTERVALS = 3;
    private static final long QUIET_INTERVAL_MILLIS = 2_000;
    /** ...or the reads are measured anyway after this long. */
    private static final long QUIET_LIMIT_SECONDS = 300;

    interface Loop {
        void run(String scenario, int clients, int total, java.util.function.IntConsumer request) throws Exception;
    }

    private final Client client;
    /** Runs and records a row. */
    private final Loop loop;
    /** Runs without recording. */
    private final Loop warmUp;

    ScaleRun(Client client, Loop loop, Loop warmUp) {
        this.client = client;
        this.loop = loop;
        this.warmUp = warmUp;
    }

    void run(int total, int inBigChat, int searchSamples, int searchWarmUpSeconds, String jdbcUrl, String jdbcPassword,
             String elasticsearchUrl, String elasticsearchAuthorization, String eventStoreDirectory) throws Exception {
        SearchLoad words = new SearchLoad(5000);
        String token = client.createApplication("scale");
        int big = client.createChat(token);
        int[] others = new int[OTHER_CHATS];
        for (int i = 0; i < OTHER_CHATS; i++) {
            others[i] = client.createChat(token);
        }
        long started = System.nanoTime();
        loop.run("scale fill: " + inBigChat + " messages into one chat, " + HOT_FILL_CLIENTS + " clients",
                HOT_FILL_CLIENTS, inBigChat, i -> client.sendMessage(token, big, words.sentence(8)));
        loop.run("scale fill: " + (total - inBigChat) + " messages over " + OTHER_CHATS + " chats, "
                        + FILL_CLIENTS + " clients", FILL_CLIENTS, total - inBigChat,
                i -> client.sendMessage(token, others[i % OTHER_CHATS], words.sentence(8)));
        long filled = System.nanoTime();
        // projections handle the stream in order: once the last message is found, everything is in
        String marker = "scalemarker" + Long.toString(System.nanoTime(), 36);
        int last = client.sendMessage(token, big, "the last one " + marker);
        while (client.getStatus(Client.messages(token, big) + "/" + last) != 200
                || !client.getBody(SearchLoad.searchPath(token, big, marker)).contains(marker)) {
            Thread.sleep(500);
        }
        long readable = System.nanoTime();
        System.out.printf("scale: %,d messages sent in %.1f min (%.0f msg/s); all readable and searchable %.1f s later%n",
                total, (filled - started) / 60e9, total * 1e9 / (filled - started), (readable - filled) / 1e9);
        awaitQuiet();

        // searched only by the fill's few checks so far: the first searches would time the JIT compilers too
        // (one client's searches cost 20 CPU-ms each over all processes before any warm-up, 7 at 16 clients after
        // a thousand; a minute of searching takes the query side's compiler threads from a third of its CPU to
        // under a tenth)
        long warmUntil = System.nanoTime() + searchWarmUpSeconds * 1_000_000_000L;
        for (int round = 1; round == 1 || System.nanoTime() < warmUntil; round++) {
            warmUp.run("scale: GET search, warm-up round " + round + " (not counted)", 16, SEARCH_WARM_UP_ROUND,
                    i -> expectOk(SearchLoad.searchPath(token, big, words.queryFragment())));
        }
        for (int clients : new int[] {1, 16}) {
            loop.run("scale: GET search, " + clients + " clients, chat of " + inBigChat + " messages", clients,
                    searchSamples, i -> expectOk(SearchLoad.searchPath(token, big, words.queryFragment())));
        }
        int deepPage = inBigChat / LIST_PAGE_SIZE;
        for (int page : new int[] {1, deepPage}) {
            loop.run("scale: GET messages page " + page + " (size " + LIST_PAGE_SIZE + "), 16 clients", 16,
                    searchSamples, i -> expectOk(Client.messages(token, big) + "?page=" + page + "&size=" + LIST_PAGE_SIZE));
        }
        printSizes(jdbcUrl, jdbcPassword, elasticsearchUrl, elasticsearchAuthorization, eventStoreDirectory);
    }

    /**
     * Waits until the stack has settled after the fill (background work such as Elasticsearch's merges
     * would otherwise be charged to the reads measured next), at most {@link #QUIET_LIMIT_SECONDS}.
     */
    private static void awaitQuiet() throws InterruptedException {
        long started = System.nanoTime();
        int quietIntervals = 0;
        Map<String, Double> busy = Map.of();
        while (quietIntervals < QUIET_INTERVALS && System.nanoTime() - started < QUIET_LIMIT_SECONDS * 1_000_000_000L) {
            Map<String, Double> before = ProcessCpu.sample();
            Thread.sleep(QUIET_INTERVAL_MILLIS);
            // CPU-seconds per 1 000 ms: cores
            busy = ProcessCpu.perThousand(before, ProcessCpu.sample(), QUIET_INTERVAL_MILLIS);
            double cores = busy.entrySet().stream().filter(e -> !e.getKey().equals(ProcessCpu.ROLES.getFirst().name()))
                    .mapToDouble(Map.Entry::getValue).sum();
            quietIntervals = cores < QUIET_CORES ? quietIntervals + 1 : 0;
        }
        System.out.printf("scale: %s %.0f s later (cores busy over the last %d ms: %s)%n",
                quietIntervals == QUIET_INTERVALS ? "stack quiet" : "stack still busy", (System.nanoTime() - started) / 1e9,
                QUIET_INTERVAL_MILLIS, busy.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                        .map(e -> "%s %.2f".formatted(e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
    }

    private void expectOk(String path) {
        int status = client.getStatus(path);
        if (status != 200) {
            throw new IllegalStateException("GET " + path + " answered " + status);
        }
    }

    private static void printSizes(String jdbcUrl, String jdbcPassword, String elasticsearchUrl,
                                   String elasticsearchAuthorization, String eventStoreDirectory) throws Exception {
        if (jdbcUrl != null) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "chat", jdbcPassword == null ? "" : jdbcPassword);
                 ResultSet tables = c.createStatement().executeQuery("""
                         SELECT table_name, table_rows, data_length + index_length FROM information_schema.tables
                         WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC LIMIT 8""")) {
                while (tables.next()) {
                    System.out.printf("scale: MySQL table %-28s ~%,12d rows %,10.0f MB on disk%n", tables.getString(1),
                            tables.getLong(2), tables.getLong(3) / 1048576.0);
                }
            }
        }
        if (elasticsearchUrl != null) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/_all/_stats/store,docs"));
            if (elasticsearchAuthorization != null) {
                request.header("Authorization", elasticsearchAuthorization);
            }
            HttpResponse<String> stats = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode all = JSON.readTree(stats.body()).get("_all").get("primaries");
            System.out.printf("scale: Elasticsearch indexes %,d documents, %,.0f MB on disk%n",
                    all.get("docs").get("count").asLong(), all.get("store").get("size_in_bytes").asLong() / 1048576.0);
        }
        if (eventStoreDirectory != null) {
            long bytes;
            try (Stream<Path> files = Files.walk(Path.of(eventStoreDirectory))) {
                bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("scale: event store directory %s: %,.0f MB%n", eventStoreDirectory, bytes / 1048576.0);
        }
    }
}
