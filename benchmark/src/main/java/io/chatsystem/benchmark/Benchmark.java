package io.chatsystem.benchmark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.LocalStack;
import io.chatsystem.stack.StackSecrets;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives a running system over HTTP and prints throughput, latency percentiles and lag.
 *
 * <pre>
 *   bin/benchmark                                           # against bin/run-local (reads data/local-run.properties)
 *   java -jar benchmark/target/benchmark-*.jar --url=http://127.0.0.1:8080   # against any running stack
 *   java -jar benchmark/target/benchmark-*.jar --local      # starts the whole stack itself
 * </pre>
 * Every loop is bounded by a request count; requests go only to the given URLs.
 */
public final class Benchmark {

    private static final String LOCAL_ADMIN_PASSWORD = "benchmark";
    /** Groups of rows, selected with --rows=a,b (all of these by default; the long "scale" row only when named). */
    private static final String ALL_ROWS = "sends,hot,chats,lag,streams,search,raw,idle,stream-memory";
    /** The processes an idle stack's goal counts (at most 30 ms of CPU a second together). */
    private static final List<String> IDLE_GOAL_ROLES = List.of("command side", "query side", "MariaDB", "Elasticsearch");
    /** Live streams: messages per second into the streamed chat (--stream-rate), and how many. */
    private static final int STREAM_RATE = 100;
    private static final int STREAM_MESSAGES = 1000;
    /** The send row during which the time from 201 to a readable message is also measured. */
    private static final int LAG_PROBE_CLIENTS = 64;
    /** That row sends this many times the requests of the others (--lag-probe-requests sets it). */
    private static final int LAG_PROBE_LENGTH = 5;
    /** Enough durable INSERTs for a steady figure, best of a few attempts (the machine is shared). */
    private static final int RAW_INSERTS = 16_000;
    private static final int RAW_ATTEMPTS = 3;
    /** Clients probing the lag at once, each on a chat of its own: a few hundred samples in a row's time. */
    private static final int LAG_PROBES = 4;
    /**
     * How often a lag probe looks whether its message is readable yet: four probes polling every 2 ms were
     * 2 000 GETs a second, enough to change what they measure (the query side's young collections).
     */
    private static final long PROBE_POLL_NANOS = 5_000_000;
    /** Clients sending during the scale-out row's replay and kill. */
    private static final int SCALE_OUT_CLIENTS = 32;
    /** How long a sender under load waits after a refused send before the next. */
    private static final long REFUSAL_PAUSE_NANOS = 100_000_000;
    /** Elasticsearch's refresh interval, the query side's index leaving it at its default. */
    private static final Duration ELASTICSEARCH_REFRESH = Duration.ofSeconds(1);
    private static final String BODY = "The quick brown fox jumps over the lazy dog, benchmark message ";

    private Client client;
    private String queryUrl;
    private final String commandUrl;
    private LocalStack stack;
    private AppProcess querySide;
    private final Map<String, String> options;
    private final Figures figures = new Figures();

    private Benchmark(String commandUrl, String queryUrl, Map<String, String> options) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.client = new Client(commandUrl, queryUrl);
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (!options.containsKey("local")) {
            if (options.containsKey("local-run")) {
                localRunEndpoints(Path.of(options.get("local-run"))).forEach(options::putIfAbsent);
            }
            String commandUrl = options.getOrDefault("command-url", options.getOrDefault("url", "http://127.0.0.1:8080"));
            new Benchmark(commandUrl, options.getOrDefault("query-url", commandUrl), options).run();
            return;
        }
        // the stack started here: the event table, and also Axon Server when AXONSERVER_SERVERS names one
        String axonServer = LocalStack.Settings.axonServerFromEnvironment();
        Map<String, Figures> modes = new java.util.LinkedHashMap<>();
        modes.put("event table", runLocal(new HashMap<>(options), null));
        if (axonServer != null) {
            modes.put("Axon Server", runLocal(new HashMap<>(options), axonServer));
            Figures.printSideBySide(modes);
        }
    }

    /** Starts the whole stack in a new directory ({@code axonServer} null: the event table), runs every row, stops it. */
    private static Figures runLocal(Map<String, String> options, String axonServer) throws Exception {
        Path root = Path.of(options.getOrDefault("repo", "."));
        // readable by all: Elasticsearch runs as an unprivileged user when the benchmark runs as root
        Path work = Files.createTempDirectory("chat-benchmark",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        System.out.printf("%n=== %s ===%n", axonServer == null ? "event table in MariaDB" : "Axon Server at " + axonServer);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(work, jar(root, "command-side"),
                        jar(root, "query-side"), 0, List.of("-Xmx1g", LocalStack.APP_COLLECTOR), elasticsearchHome(root),
                        false, axonServer))
                .withEnvironment("ADMIN_PASSWORD", LOCAL_ADMIN_PASSWORD)
                // its clients all write from this machine's address, at many times a client's rate
                .withoutWriteRateLimits()
                .withCommandSideNiceness(LocalStack.CO_LOCATED_COMMAND_SIDE_NICENESS)) {
            options.putIfAbsent("admin-password", LOCAL_ADMIN_PASSWORD);
            AppProcess command = stack.startCommandSide();
            AppProcess query = stack.startQuerySide();
            options.putIfAbsent("jdbc-url", stack.database().jdbcUrl());
            options.putIfAbsent("jdbc-password", stack.database().password());
            options.putIfAbsent("redis-port", Integer.toString(stack.redis().port()));
            options.putIfAbsent("redis-password", stack.redis().password());
            options.putIfAbsent("elasticsearch-url", stack.elasticsearch().url());
            options.putIfAbsent("elasticsearch-password", stack.elasticsearch().password());
            Benchmark benchmark = new Benchmark(command.baseUrl(), query.baseUrl(), options);
            benchmark.stack = stack;
            benchmark.querySide = query;
            try {
                benchmark.run();
            } finally {
                // its threads and connections would otherwise stay through the next mode's rows
                benchmark.client.close();
            }
            return benchmark.figures;
        }
    }

    private void run() throws Exception {
        if (options.containsKey("replay-only")) {
            replay(Integer.parseInt(options.getOrDefault("replay-events", "100000")));
            return;
        }
        if (options.containsKey("scale-out")) {
            scaleOut(Integer.parseInt(options.getOrDefault("replay-events", "100000")));
            return;
        }
        int requests = Integer.parseInt(options.getOrDefault("requests", "2000"));
        int[] concurrencies = Arrays.stream(options.getOrDefault("concurrency", "1,16,64,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Set<String> rows = Set.of(options.getOrDefault("rows", ALL_ROWS).split(","));
        String token = client.createApplication("benchmark");
        int chats = 100;
        for (int i = 0; i < chats; i++) {
            client.createChat(token);
        }
        int hotChat = client.createChat(token);

        warmUp(token, chats, Integer.parseInt(options.getOrDefault("warm-up-seconds", "120")));

        if (rows.contains("sends")) {
            for (int clients : concurrencies) {
                String scenario = "POST message, " + clients + " clients, 100 chats";
                IntConsumer send = i -> client.sendMessage(token, 1 + i % chats, BODY + i);
                closedLoop(scenario, clients, requests, send, true);
                if (clients == LAG_PROBE_CLIENTS) {
                    // the same load again, not counted, while a few more clients measure: their polling would
                    // add to the cost of the row above
                    // run long enough for several hundred probes: a p99 of a few dozen is only their maximum
                    int probedRequests = Integer.parseInt(options.getOrDefault("lag-probe-requests",
                            Integer.toString(requests * LAG_PROBE_LENGTH)));
                    withLagProbe(token, "POST 201 -> visible in GET, during " + clients + "-client sends",
                            "  of which the GET that found it", queryUrl,
                            () -> closedLoop(scenario + " (lag probe running)", clients, probedRequests, send, false));
                    // the same load, a client reading each of its writes back at once with the write's token:
                    // the message itself, and its chat (whose messages_count must include it)
                    withTokenProbe(token, "POST 201 -> GET with its Consistency-Token, " + clients + "-client sends",
                            false, () -> closedLoop(scenario + " (token reads running)", clients, probedRequests, send, false));
                    withTokenProbe(token, "  the same, GET of the chat (messages_count)", true,
                            () -> closedLoop(scenario + " (token count reads running)", clients, probedRequests, send, false));
                    if (!operatorUrl().equals(queryUrl)) {
                        // the same with the reads straight to the query side: what the gateway adds to them
                        withLagProbe(token, "POST 201 -> visible in GET on the query side, " + clients + " clients",
                                "  of which the GET on the query side", operatorUrl(),
                                () -> closedLoop(scenario + " (lag probe on the query side running)", clients,
                                        probedRequests, send, false));
                    }
                }
            }
        }
        if (rows.contains("hot")) {
            for (int clients : concurrencies) {
                closedLoop("POST message, " + clients + " clients, one hot chat", clients, requests,
                        i -> client.sendMessage(token, hotChat, BODY + i), true);
            }
        }
        if (rows.contains("chats")) {
            List<String> apps = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                apps.add(client.createApplication("benchmark " + i));
            }
            for (int clients : concurrencies) {
                closedLoop("POST chat, " + clients + " clients, 100 applications", clients, requests,
                        i -> client.createChat(apps.get(i % apps.size())), true);
            }
            for (int clients : concurrencies) {
                String hotApp = client.createApplication("hot application " + clients);
                closedLoop("POST chat, " + clients + " clients, one hot application", clients, requests,
                        i -> client.createChat(hotApp), true);
            }
        }
        if (rows.contains("lag")) {
            visibilityLag(token, Integer.parseInt(options.getOrDefault("lag-samples", "500")));
            searchVisibilityLag(token, Integer.parseInt(options.getOrDefault("search-lag-samples", "100")));
        }
        if (rows.contains("streams")) {
            StreamLoad streams = new StreamLoad(client);
            for (String subscribers : options.getOrDefault("stream-subscribers", "1,1000").split(",")) {
                // through the gateway as clients connect, or (--streams-direct) straight to the query side
                String streamUrl = options.containsKey("streams-direct") ? operatorUrl() : queryUrl;
                int rate = Integer.parseInt(options.getOrDefault("stream-rate", String.valueOf(STREAM_RATE)));
                streams.latency(streamUrl, token, Integer.parseInt(subscribers), rate,
                        Integer.parseInt(options.getOrDefault("stream-messages", String.valueOf(STREAM_MESSAGES))), figures);
            }
        }
        if (rows.contains("scale")) {
            new ScaleRun(client, (scenario, clients, total, request) -> closedLoop(scenario, clients, total, request, true),
                    (scenario, clients, total, request) -> closedLoop(scenario, clients, total, request, false))
                    .run(Integer.parseInt(options.getOrDefault("scale-messages", "1000000")),
                    Integer.parseInt(options.getOrDefault("scale-big-chat", "100000")),
                    Integer.parseInt(options.getOrDefault("search-samples", "1000")), searchWarmUpSeconds(),
                    options.get("jdbc-url"), options.get("jdbc-password"), options.get("elasticsearch-url"),
                    elasticsearchAuthorization(), options.get("event-store-directory"));
        }
        if (rows.contains("search")) {
            search(Integer.parseInt(options.getOrDefault("search-messages", "20000")));
        }
        if (rows.contains("raw") && options.containsKey("jdbc-url")) {
            RawInsertLimit limit = new RawInsertLimit(options.get("jdbc-url"),
                    options.getOrDefault("jdbc-user", "chat"), options.getOrDefault("jdbc-password", ""));
            for (int connections : new int[] {1, 16}) {
                limit.measure(connections, Math.max(requests * 2, RAW_INSERTS), RAW_ATTEMPTS, figures);
            }
        }
        if (rows.contains("idle")) {
            idle(Integer.parseInt(options.getOrDefault("idle-settle-seconds", "60")),
                    Integer.parseInt(options.getOrDefault("idle-seconds", "60")));
        }
        figures.print();
        figures.printCpu();
        printGoals();
        if (rows.contains("stream-memory")) {
            // last: thousands of open streams can exhaust a small heap
            for (String open : options.getOrDefault("stream-counts", "1000,10000").split(",")) {
                new StreamLoad(client).memory(operatorUrl(), options.get("admin-password"), token, Integer.parseInt(open));
            }
        }
        if (options.containsKey("replay-events")) {
            replay(Integer.parseInt(options.get("replay-events")));
        }
        // only when asked (--flush-chats=N), on a stack of its own whose counts are still at their first version
        if (options.containsKey("flush-chats") && options.containsKey("local") && options.containsKey("jdbc-url")
                && options.containsKey("redis-port")) {
            new CountsFlushCost(options.get("jdbc-url"), options.getOrDefault("jdbc-password", ""),
                    Integer.parseInt(options.get("redis-port")), options.get("redis-password"), operatorUrl(),
                    options.get("admin-password"))
                    .measure(Integer.parseInt(options.getOrDefault("flush-chats", "10000")));
        }
    }

    /**
     * Rounds of sends, chat creations and reads at 64 clients until {@code seconds} have passed. On two
     * busy cores the apps' JIT compilers need minutes to finish: measured right after start, the same
     * 64-client scenario ran at 161 msg/s; after three minutes of load, at 524 msg/s. The sends run with the
     * lag probes, as the probed row does: without them here, the first probed row was where this process
     * compiled the probes' code (some 500 methods in its first five seconds, on the cores the system uses),
     * and its POST -> GET p99 was 43-100 ms wherever it read, against 27-41 ms for the same row run again.
     */
    private void warmUp(String token, int chats, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (Client probeClient = new Client(commandUrl, queryUrl)) {
            for (int round = 1; System.nanoTime() < deadline; round++) {
                long started = System.nanoTime();
                String sends = "warm-up round " + round + ": sends (not counted)";
                probe(probeClient, token, () -> closedLoop(sends, 64, 2000,
                        i -> client.sendMessage(token, 1 + i % chats, BODY + i), false));
                System.out.printf("  %.0f msg/s%n", 2000 * 1e9 / (System.nanoTime() - started));
                closedLoop("warm-up round " + round + ": chats and reads (not counted)", 64, 500, i -> {
                    client.createChat(token);
                    client.getStatus(Client.messages(token, 1 + i % chats) + "?size=20");
                }, false);
            }
        }
    }

    /** {@code clients} clients send one request after another until {@code total} have been sent. */
    private void closedLoop(String scenario, int clients, int total, IntConsumer request, boolean record)
            throws Exception {
        if (record) {
            // a request from each client first, not counted, so that the row does not time opening its
            // connections: at 256 clients a row of 2 000 requests is some 8 from each, and the first row at
            // 256 opened about 190 new ones through the gateway to the command side
            closedLoop(scenario + ": connections (not counted)", clients, clients, request, false);
        }
        Recorder recorder = new Recorder(3);
        AtomicInteger next = new AtomicInteger();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Map<String, Double> cpuBefore = record ? ProcessCpu.sample() : Map.of();
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(executor.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    request.accept(i);
                    recorder.recordValue((System.nanoTime() - t0) / 1000);
                }
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        long elapsed = System.nanoTime() - started;
        executor.shutdown();
        if (record) {
            figures.add(scenario, total, elapsed, recorder.getIntervalHistogram(),
                    ProcessCpu.perThousand(cpuBefore, ProcessCpu.sample(), total));
        }
        System.out.printf("%-58s done in %d ms%n", scenario, elapsed / 1_000_000);
    }

    /**
     * Fills one chat, then searches it. In local mode the query side is stopped while the chat fills,
     * so restarting it measures how fast the search projection indexes a backlog.
     */
    private void search(int messages) throws Exception {
        SearchLoad load = new SearchLoad(5000);
        String token = client.createApplication("search benchmark");
        int chat = client.createChat(token);
        boolean local = stack != null && stack.elasticsearch() != null;
        if (local) {
            querySide.close();
        }
        closedLoop("POST message, 64 clients, filling the search chat", 64, messages,
                i -> client.sendMessage(token, chat, load.sentence(8)), true);
        if (local) {
            long restarted = System.nanoTime();
            querySide = stack.startQuerySide();
            queryUrl = querySide.baseUrl();
            client.close();
            client = new Client(commandUrl, queryUrl);
            long ready = System.nanoTime();
            while (SearchLoad.indexed(stack.elasticsearch().url(), stack.elasticsearch().authorization(), token, chat)
                    < messages) {
                Thread.sleep(200);
            }
            long done = System.nanoTime();
            System.out.printf("search projection caught up on %d messages in %d ms after the query side was ready"
                            + " (%.0f documents/s; all projections catching up at once; start took %d ms)%n",
                    messages, (done - ready) / 1_000_000, messages * 1e9 / (done - ready), (ready - restarted) / 1_000_000);
        }
        int samples = Integer.parseInt(options.getOrDefault("search-samples", "1000"));
        // the search path's code has not run yet: without this its first searches time the JIT compilers
        long warmUntil = System.nanoTime() + searchWarmUpSeconds() * 1_000_000_000L;
        for (int round = 1; round == 1 || System.nanoTime() < warmUntil; round++) {
            closedLoop("GET search, warm-up round " + round + " (not counted)", 16, ScaleRun.SEARCH_WARM_UP_ROUND,
                    i -> client.getStatus(SearchLoad.searchPath(token, chat, load.queryFragment())), false);
        }
        for (int clients : new int[] {1, 16}) {
            closedLoop("GET search, " + clients + " clients, chat of " + messages + " messages", clients, samples,
                    i -> {
                        String path = SearchLoad.searchPath(token, chat, load.queryFragment());
                        int status = client.getStatus(path);
                        if (status != 200) {
                            throw new IllegalStateException("GET " + path + " answered " + status);
                        }
                    }, true);
        }
    }

    /** Seconds of searching, not counted, before a search row is measured ({@code --search-warm-up-seconds}). */
    private int searchWarmUpSeconds() {
        return Integer.parseInt(options.getOrDefault("search-warm-up-seconds", "60"));
    }

    /** Makes sure the event store holds at least {@code events} events, then times replays through the admin API. */
    private void replay(int events) throws Exception {
        if (!options.containsKey("admin-password")) {
            System.out.println("replay: skipped (give --admin-password)");
            return;
        }
        ReplayThroughput replay = new ReplayThroughput(operatorUrl(), options.get("admin-password"));
        fill(replay, events);
        replay.measure();
    }

    private void fill(ReplayThroughput replay, int events) throws Exception {
        long missing = events - replay.head();
        if (missing > 0) {
            String token = client.createApplication("replay load");
            for (int i = 0; i < 100; i++) {
                client.createChat(token);
            }
            closedLoop("POST message, 64 clients, filling the event store", 64, (int) missing,
                    i -> sendPatiently(token, 1 + i % 100, BODY + i), false);
        }
    }

    /**
     * A send that, like a client honouring {@code Retry-After}, waits and tries again when refused with
     * 503 (an overloaded machine sheds load so): for filling the store, not for measured rows.
     */
    /**
     * What the stack costs with nobody using it: no request for {@code settleSeconds}, then the CPU each process
     * uses over {@code seconds}, in milliseconds a second (the goal counts the apps, MariaDB and Elasticsearch).
     */
    private void idle(int settleSeconds, int seconds) throws InterruptedException {
        Thread.sleep(settleSeconds * 1000L);
        Map<String, Double> before = ProcessCpu.sample();
        Thread.sleep(seconds * 1000L);
        Map<String, Double> cost = ProcessCpu.perThousand(before, ProcessCpu.sample(), seconds);
        String scenario = "idle " + seconds + " s, " + settleSeconds + " s after the last request (CPU ms/s)";
        figures.addIdle(scenario, seconds, cost);
        double counted = IDLE_GOAL_ROLES.stream().mapToDouble(role -> cost.getOrDefault(role, 0.0)).sum();
        System.out.printf("%s: %.1f ms of CPU a second, of which the apps, MariaDB and Elasticsearch %.1f%n",
                scenario, cost.values().stream().mapToDouble(Double::doubleValue).sum(), counted);
    }

    private void sendPatiently(String token, int chat, String body) {
        while (true) {
            try {
                client.sendMessage(token, chat, body);
                return;
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains(" answered 503")) {
                    throw e;
                }
                LockSupport.parkNanos(REFUSAL_PAUSE_NANOS);
            }
        }
    }

    /**
     * Two query sides ({@code bin/run-local --query-sides=2}): a replay of every projection asked of one
     * of them while {@value #SCALE_OUT_CLIENTS} clients send, timed until no segment replays any more,
     * with POST 201 -> GET measured meanwhile; then the second query side is killed (SIGKILL) and the
     * time until the first holds every segment is taken (the local run restarts the killed one).
     */
    private void scaleOut(int events) throws Exception {
        List<String> querySides = List.of(options.getOrDefault("query-side-urls", "").split(","));
        if (querySides.size() < 2 || !options.containsKey("admin-password")) {
            System.out.println("scale-out: skipped (needs bin/run-local --query-sides=2 and --admin-password)");
            return;
        }
        String password = options.get("admin-password");
        ReplayThroughput first = new ReplayThroughput(querySides.get(0), password);
        ReplayThroughput second = new ReplayThroughput(querySides.get(1), password);
        fill(first, events);
        first.awaitCaughtUp(); // the replay starts from projections at the head, not from a backlog
        String token = client.createApplication("scale-out");
        for (int i = 0; i < 100; i++) {
            client.createChat(token);
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < SCALE_OUT_CLIENTS; c++) {
            int chat = 1 + c % 100;
            senders.add(Thread.ofVirtual().start(() -> {
                while (sending.get()) {
                    try {
                        client.sendMessage(token, chat, BODY + sent.incrementAndGet());
                    } catch (RuntimeException e) {
                        // a client goes on after a refusal (a 503 says when): counted, not fatal to the row
                        refused.incrementAndGet();
                        LockSupport.parkNanos(REFUSAL_PAUSE_NANOS);
                    }
                }
            }));
        }
        try {
            withLagProbe(token, "scale-out: POST 201 -> visible in GET during the replay, 2 query sides, "
                    + SCALE_OUT_CLIENTS + " clients sending", "  of which the GET that found it, scale-out", queryUrl, () -> {
                long head = first.head();
                long started = System.nanoTime();
                first.replay("/admin/projections/replay");
                second.awaitNotReplaying();
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("scale-out: replay of all projections over %d events, asked of one of 2 query sides, "
                        + "%d clients sending: %.1f s (%.0f events/s of stream)%n", head, SCALE_OUT_CLIENTS, seconds,
                        head / seconds);
            });
            long killed = ProcessCpu.querySidePid(URI.create(querySides.get(1)).getPort());
            long killedAt = System.nanoTime();
            ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
            while (!first.everySegmentHeldByOtherThan(killed)) {
                Thread.sleep(100);
            }
            System.out.printf("scale-out: every segment held again %.1f s after query side %d was killed%n",
                    (System.nanoTime() - killedAt) / 1e9, killed);
        } finally {
            sending.set(false);
            for (Thread sender : senders) {
                sender.join();
            }
            System.out.printf("scale-out: %d sends, %d refused or failed%n", sent.get(), refused.get());
        }
        figures.print();
    }

    interface Row {
        void run() throws Exception;
    }

    /**
     * Runs {@code row} while {@code LAG_PROBES} more clients each send to a chat of their own and poll GET at
     * {@code readUrl} until each of their messages is readable: the time from 201 to readable under that load
     * ({@code scenario}), and of it the round trip of the GET that found it ({@code findScenario}).
     */
    private void withLagProbe(String token, String scenario, String findScenario, String readUrl, Row row)
            throws Exception {
        // a client of their own, as other users would be: their answers do not queue behind the load's
        try (Client probeClient = new Client(commandUrl, readUrl)) {
            long started = System.nanoTime();
            LagSamples samples = probe(probeClient, token, row);
            long elapsed = System.nanoTime() - started;
            figures.add(scenario, samples.lag().getTotalCount(), elapsed, samples.lag());
            // the round trip of the GET that found the message, of the time above: what the load does to a read
            figures.add(findScenario, samples.find().getTotalCount(), elapsed, samples.find());
        }
    }

    /**
     * Runs {@code row} while {@code LAG_PROBES} more clients each send to a chat of their own and read each
     * message back once, with the write's {@code Consistency-Token}: the time from 201 to the answer, and how
     * many answers did not show the message (there must be none).
     */
    private void withTokenProbe(String token, String scenario, boolean readsCount, Row row) throws Exception {
        try (Client probeClient = new Client(commandUrl, queryUrl)) {
            AtomicLong missed = new AtomicLong();
            long started = System.nanoTime();
            LagSamples samples = probe(probeClient, token, row, (client, chat, probe, running) ->
                    probeTokenReads(client, token, chat, readsCount, probe, running, missed));
            long elapsed = System.nanoTime() - started;
            figures.add(scenario + " (" + missed.get() + " missed)", samples.lag().getTotalCount(), elapsed, samples.lag());
        }
    }

    /**
     * One probe: sends to its chat and reads each message back once with the write's token (or, with
     * {@code readsCount}, its chat, whose {@code messages_count} must count it), while {@code running}.
     */
    private static void probeTokenReads(Client client, String token, int chat, boolean readsCount, LagSamples samples,
                                        AtomicBoolean running, AtomicLong missed) {
        for (int i = 0; running.get(); i++) {
            Client.Sent sent;
            try {
                sent = client.sendMessageWithToken(token, chat, BODY + i);
            } catch (RuntimeException refused) {
                LockSupport.parkNanos(REFUSAL_PAUSE_NANOS);
                continue;
            }
            long acknowledged = System.nanoTime();
            boolean shown;
            try {
                shown = readsCount
                        ? client.messagesCount(token, chat, sent.consistencyToken()) >= sent.number()
                        : client.getStatus(Client.messages(token, chat) + "/" + sent.number(), sent.consistencyToken()) == 200;
            } catch (RuntimeException failed) {
                shown = false;
            }
            long answered = System.nanoTime();
            if (!shown) {
                missed.incrementAndGet();
            }
            samples.lag().recordValue((answered - acknowledged) / 1000);
            samples.find().recordValue((answered - acknowledged) / 1000);
        }
    }

    /** From 201 to readable ({@code lag}), and of it the round trip of the GET that found the message ({@code find}). */
    private record LagSamples(Histogram lag, Histogram find) {
    }

    /** What one probe client does on its own chat while {@code running}, recording into its samples. */
    @FunctionalInterface
    private interface ProbeLoop {
        void run(Client client, int chat, LagSamples samples, AtomicBoolean running);
    }

    /** Runs {@code row} while {@code LAG_PROBES} lag probes measure with {@code probeClient}. */
    private LagSamples probe(Client probeClient, String token, Row row) throws Exception {
        return probe(probeClient, token, row, (client, chat, samples, running) -> probeLag(client, token, chat, samples, running));
    }

    /** Runs {@code row} while {@code LAG_PROBES} probes, each on a chat of its own, run {@code loop} with {@code probeClient}. */
    private LagSamples probe(Client probeClient, String token, Row row, ProbeLoop loop) throws Exception {
        List<LagSamples> samples = new ArrayList<>();
        List<Thread> probes = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        for (int p = 0; p < LAG_PROBES; p++) {
            int chat = client.createChat(token);
            LagSamples probe = new LagSamples(Figures.histogram(), Figures.histogram());
            samples.add(probe);
            probes.add(Thread.ofVirtual().start(() -> loop.run(probeClient, chat, probe, running)));
        }
        try {
            row.run();
        } finally {
            running.set(false);
            for (Thread probe : probes) {
                probe.join();
            }
        }
        LagSamples all = new LagSamples(Figures.histogram(), Figures.histogram());
        samples.forEach(probe -> {
            all.lag().add(probe.lag());
            all.find().add(probe.find());
        });
        return all;
    }

    /** One probe: sends to its chat and polls GET until each of its messages is readable, while {@code running}. */
    private static void probeLag(Client client, String token, int chat, LagSamples samples, AtomicBoolean running) {
        for (int i = 0; running.get(); i++) {
            int number;
            try {
                number = client.sendMessage(token, chat, BODY + i);
            } catch (RuntimeException refused) {
                LockSupport.parkNanos(REFUSAL_PAUSE_NANOS); // a refusal has no lag to measure
                continue;
            }
            long acknowledged = System.nanoTime();
            String path = Client.messages(token, chat) + "/" + number;
            long asked = System.nanoTime();
            while (!readable(client, path)) {
                LockSupport.parkNanos(PROBE_POLL_NANOS);
                asked = System.nanoTime();
            }
            long found = System.nanoTime();
            samples.lag().recordValue((found - acknowledged) / 1000);
            samples.find().recordValue((found - asked) / 1000);
        }
    }

    /** Whether GET answers 200; a GET that failed (timed out on an overloaded machine) is asked again. */
    private static boolean readable(Client client, String path) {
        try {
            return client.getStatus(path) == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** From the 201 of a POST to the message being readable with GET on the query side. */
    private void visibilityLag(String token, int samples) {
        Histogram lag = Figures.histogram();
        int chat = client.createChat(token);
        long started = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            int number = client.sendMessage(token, chat, BODY + i);
            long acknowledged = System.nanoTime();
            String path = Client.messages(token, chat) + "/" + number;
            while (client.getStatus(path) != 200) {
                Thread.onSpinWait();
            }
            lag.recordValue((System.nanoTime() - acknowledged) / 1000);
        }
        figures.add("POST 201 -> visible in GET (sequential)", samples, System.nanoTime() - started, lag);
    }

    /** The query side itself, for its admin API and metrics, which no gateway exposes. */
    private String operatorUrl() {
        return options.getOrDefault("query-side-url", queryUrl);
    }

    /**
     * From the 201 of a POST to the message being found by search (a word no other message has). Each send
     * waits a random part of Elasticsearch's refresh interval first: sent right after the last one was found,
     * which is right after a refresh, every message waited a whole interval (1 007 ms at p50, and the same
     * against Elasticsearch alone), where messages that come at any time wait half of one on average.
     */
    private void searchVisibilityLag(String token, int samples) throws InterruptedException {
        Histogram lag = Figures.histogram();
        int chat = client.createChat(token);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long started = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            Thread.sleep(random.nextLong(ELASTICSEARCH_REFRESH.toMillis()));
            String word = "lag" + Long.toString(random.nextLong(Long.MAX_VALUE), 36);
            client.sendMessage(token, chat, "search lag sample " + word);
            long acknowledged = System.nanoTime();
            String path = SearchLoad.searchPath(token, chat, word);
            while (!client.getBody(path).contains(word)) {
                Thread.sleep(2);
            }
            lag.recordValue((System.nanoTime() - acknowledged) / 1000);
        }
        figures.add("POST 201 -> found by search (sequential)", samples, System.nanoTime() - started, lag);
    }

    /** The goals for a 2-core machine with everything co-located, next to what was measured. */
    private void printGoals() {
        System.out.println();
        figures.find("raw JDBC single-row INSERT, 16 connections, best of " + RAW_ATTEMPTS).ifPresent(raw -> System.out.printf(
                "%-58s %.0f/s: the database's limit for one durable write per request%n", raw.scenario(), raw.perSecond()));
        throughputGoal("POST message, 64 clients, 100 chats", 2000, 100);
        for (String clients : List.of("16", "64", "256")) {
            throughputGoal("POST message, " + clients + " clients, one hot chat", 2000, -1);
        }
        latencyGoal("POST 201 -> visible in GET, during " + LAG_PROBE_CLIENTS + "-client sends", 50);
        latencyGoal("POST 201 -> visible in GET on the query side, " + LAG_PROBE_CLIENTS + " clients", 50);
        latencyGoal("POST 201 -> visible in GET (sequential)", 50);
        latencyGoal("POST 201 -> found by search (sequential)", 1000);
        latencyGoal("POST 201 -> on the stream, " + STREAM_RATE + " msg/s, 1000 subscribers", 100);
        latencyGoal("GET search, 1 clients, chat of " + options.getOrDefault("search-messages", "20000") + " messages", 50);
        latencyGoal("scale: GET search, 1 clients, chat of " + options.getOrDefault("scale-big-chat", "100000") + " messages", 50);
        latencyGoal("scale: GET search, 16 clients, chat of " + options.getOrDefault("scale-big-chat", "100000") + " messages", 50);
    }

    private void throughputGoal(String scenario, int perSecondGoal, int p99Goal) {
        figures.find(scenario).ifPresent(row -> System.out.printf("%-58s %.0f msg/s (goal >= %d), p99 %.1f ms%s%n",
                row.scenario(), row.perSecond(), perSecondGoal, row.latency().getValueAtPercentile(99) / 1000.0,
                p99Goal > 0 ? " (goal <= " + p99Goal + " ms)" : ""));
    }

    private void latencyGoal(String scenario, int p99Goal) {
        figures.find(scenario).ifPresent(row -> System.out.printf("%-58s p99 %.1f ms (goal <= %d ms)%n",
                row.scenario(), row.latency().getValueAtPercentile(99) / 1000.0, p99Goal));
    }

    /** The endpoints bin/run-local wrote: its one port for the API, and its database and Redis for the raw figures. */
    private static Map<String, String> localRunEndpoints(Path data) throws IOException {
        Properties endpoints = new Properties();
        try (var reader = Files.newBufferedReader(data.resolve("local-run.properties"))) {
            endpoints.load(reader);
        }
        Map<String, String> options = new HashMap<>();
        options.put("url", endpoints.getProperty("gateway.url"));
        options.put("jdbc-url", endpoints.getProperty("jdbc.url"));
        options.put("redis-port", endpoints.getProperty("redis.port"));
        // the stores' credentials, which the local run generated in its data directory
        options.put("jdbc-password", StackSecrets.read(data, StackSecrets.MARIADB_PASSWORD));
        options.put("redis-password", StackSecrets.read(data, StackSecrets.REDIS_PASSWORD));
        options.put("query-side-url", endpoints.getProperty("query.url"));
        options.put("query-side-urls", endpoints.getProperty("query.urls", endpoints.getProperty("query.url")));
        if (endpoints.getProperty("elasticsearch.url") != null) {
            options.put("elasticsearch-url", endpoints.getProperty("elasticsearch.url"));
            options.put("elasticsearch-password", StackSecrets.read(data, StackSecrets.ELASTICSEARCH_PASSWORD));
        }
        return options;
    }

    /**
     * The {@code Authorization} header of requests straight to Elasticsearch: {@code --elasticsearch-user}
     * ({@code elastic} by default) with {@code --elasticsearch-password}, or null without a password.
     */
    private String elasticsearchAuthorization() {
        String password = options.get("elasticsearch-password");
        return password == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
                (options.getOrDefault("elasticsearch-user", "elastic") + ":" + password)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Path elasticsearchHome(Path root) throws IOException {
        try (var homes = Files.list(root.resolve("local-stack/target/elasticsearch"))) {
            return homes.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build local-stack first: ./mvnw package"));
        }
    }

    private static Path jar(Path root, String module) throws IOException {
        try (var files = Files.list(root.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build " + module + " first: ./mvnw package"));
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String[] pair = arg.substring(2).split("=", 2);
            options.put(pair[0], pair.length == 2 ? pair[1] : "true");
        }
        return options;
    }
}
