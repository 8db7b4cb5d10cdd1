package io.chatsystem.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system on one machine without Docker: MariaDB, Redis and Elasticsearch from Maven Central, the command side and
 * the query side as separate JVMs on the event table in MariaDB, or on an Axon Server given in the settings. Used by the
 * system tests and by {@link LocalRun}. The stores let in only those who give the credentials generated at the first
 * start in {@code <workDir>/secrets} ({@link StackSecrets}); the command sides keep their token secret there too.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * {@code elasticsearchHome}: an unpacked Elasticsearch distribution, or null to run without search.
     * {@code keepRedisData}: Redis keeps an append-only file in the work directory (MariaDB and
     * Elasticsearch always keep theirs there), so a restart finds everything as it was.
     * {@code axonServer}: {@code host:port} of an Axon Server to store events and route messages
     * (profile {@code axonserver}), or null for the event table in MariaDB.
     */
    public record Settings(Path workDir, Path commandJar, Path queryJar, int databasePort, List<String> jvmArgs,
                           Path elasticsearchHome, boolean keepRedisData, String axonServer) {

        public Settings(Path workDir, Path commandJar, Path queryJar, int databasePort, List<String> jvmArgs,
                        Path elasticsearchHome) {
            this(workDir, commandJar, queryJar, databasePort, jvmArgs, elasticsearchHome, false, axonServerFromEnvironment());
        }

        /** {@code AXONSERVER_SERVERS}, as the apps themselves read it, when it is set. */
        public static String axonServerFromEnvironment() {
            String servers = System.getenv("AXONSERVER_SERVERS");
            return servers == null || servers.isBlank() ? null : servers.strip();
        }

        /** Settings from system properties {@code stack.*}, as the build passes them. */
        public static Settings fromSystemProperties() {
            return new Settings(
                    Path.of(System.getProperty("stack.workDir", "target/stack")),
                    Path.of(required("stack.commandJar")),
                    Path.of(required("stack.queryJar")),
                    Integer.getInteger("stack.databasePort", 0),
                    List.of(System.getProperty("stack.jvmArgs", APP_JVM_ARGS).split(" ")),
                    System.getProperty("stack.elasticsearchHome") == null ? null
                            : Path.of(System.getProperty("stack.elasticsearchHome")));
        }

        private static String required(String property) {
            String value = System.getProperty(property);
            if (value == null) {
                throw new IllegalStateException("system property " + property + " is not set");
            }
            return value;
        }
    }

    /**
     * The apps' collector. G1 rather than the parallel collector: a query side's old generation churns as
     * live streams open and close, and the parallel collector cleared it with full collections that stopped
     * every stream for 0.2-0.4 s (at 1 000 streams on one chat, the tail of their latency); sends cost the
     * same with either (see the README's performance section).
     */
    public static final String APP_COLLECTOR = "-XX:+UseG1GC";

    /** The apps' heap and collector, unless told otherwise. */
    public static final String APP_JVM_ARGS = "-Xmx512m " + APP_COLLECTOR;

    /**
     * The {@code nice} value of the command sides where everything shares one machine (the local run, the
     * benchmark's own stack): when the writers saturate it, the projections otherwise fall behind what was
     * acknowledged. Measured on two cores under 64 sending clients, see the README's performance section.
     */
    public static final int CO_LOCATED_COMMAND_SIDE_NICENESS = 10;

    private final Settings settings;
    private final MariaDbServer database;
    private final RedisServerProcess redis;
    private final ElasticsearchServer elasticsearch;
    private final List<AppProcess> apps = new ArrayList<>();
    private final Map<String, String> extraEnvironment = new HashMap<>();
    /** The command side started last, unless COMMAND_SIDE_URL names one. Guarded by this. */
    private String latestCommandSide;
    private volatile int commandSideNiceness;
    private int started;

    private LocalStack(Settings settings, MariaDbServer database, RedisServerProcess redis,
                       ElasticsearchServer elasticsearch) {
        this.settings = settings;
        this.database = database;
        this.redis = redis;
        this.elasticsearch = elasticsearch;
    }

    /** Starts the infrastructure; Elasticsearch, the slowest, starts alongside the others. */
    public static LocalStack start(Settings settings) {
        Path workDir = settings.workDir();
        CompletableFuture<ElasticsearchServer> elasticsearch = settings.elasticsearchHome() == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> ElasticsearchServer.start(settings.elasticsearchHome(),
                        workDir.resolve("elasticsearch"), Ports.free(),
                        StackSecrets.get(workDir, StackSecrets.ELASTICSEARCH_PASSWORD)));
        int port = settings.databasePort() == 0 ? Ports.free() : settings.databasePort();
        RedisServerProcess redis = RedisServerProcess.start(Ports.free(),
                settings.keepRedisData() ? workDir.resolve("redis") : null,
                StackSecrets.get(workDir, StackSecrets.REDIS_PASSWORD));
        MariaDbServer database = MariaDbServer.start(workDir.resolve("mariadb"), port,
                StackSecrets.get(workDir, StackSecrets.MARIADB_PASSWORD));
        return new LocalStack(settings, database, redis, elasticsearch.join());
    }

    public ElasticsearchServer elasticsearch() {
        return elasticsearch;
    }

    /** {@code host:port} of the Axon Server the apps use, or null when they use the event table in MariaDB. */
    public String axonServer() {
        return settings.axonServer();
    }

    public MariaDbServer database() {
        return database;
    }

    public RedisServerProcess redis() {
        return redis;
    }

    /** Environment given to every app started from now on, on top of the stack's own. */
    public synchronized LocalStack withEnvironment(String name, String value) {
        extraEnvironment.put(name, value);
        return this;
    }

    /**
     * Command sides started from now on take writes without rate limits (by default each application and
     * each client address has one, {@code chat.writes.rate-limits}): for load tests and the benchmark, whose
     * writes all come from one address at far more than a client's rate. A command side given its own
     * {@code WRITE_RATE_PER_*} (see {@link #startCommandSide(int, Map)}) has those.
     */
    public LocalStack withoutWriteRateLimits() {
        return withEnvironment("WRITE_RATE_PER_APPLICATION", "0").withEnvironment("WRITE_RATE_PER_CLIENT", "0");
    }

    /**
     * Command sides started from now on run at this {@code nice} value (0: as everything else). On a
     * machine the writers saturate, the projections then keep their share of it, so what was
     * acknowledged becomes readable soon; the writers wait a little longer instead.
     */
    public LocalStack withCommandSideNiceness(int niceness) {
        commandSideNiceness = niceness;
        return this;
    }

    public AppProcess startCommandSide() {
        return startCommandSide(0);
    }

    /** {@code port} 0 picks a free one. */
    public AppProcess startCommandSide(int port) {
        return startCommandSide(port, Map.of());
    }

    /** A command side with settings of its own on top of the stack's environment (say, another retry count). */
    public AppProcess startCommandSide(int port, Map<String, String> ownEnvironment) {
        return startApp("command-side", settings.commandJar(), port, ownEnvironment, commandSideNiceness);
    }

    public AppProcess startQuerySide() {
        return startQuerySide(0);
    }

    /** {@code port} 0 picks a free one. */
    public AppProcess startQuerySide(int port) {
        return startQuerySide(port, Map.of());
    }

    /** A query side with settings of its own on top of the stack's environment (say, a lower stream limit). */
    public AppProcess startQuerySide(int port, Map<String, String> ownEnvironment) {
        return startApp("query-side", settings.queryJar(), port, ownEnvironment, 0);
    }

    private AppProcess startApp(String kind, Path jar, int port, Map<String, String> ownEnvironment, int niceness) {
        String name;
        Map<String, String> environment;
        int listensOn = port == 0 ? Ports.free() : port;
        synchronized (this) {
            name = kind + "-" + (++started);
            environment = environment();
            if (kind.equals("command-side")) {
                latestCommandSide = "http://127.0.0.1:" + listensOn;
            }
            if (latestCommandSide != null) {
                // where a query side finds a command side's API description, for the whole API's one
                environment.putIfAbsent("COMMAND_SIDE_URL", latestCommandSide);
            }
        }
        environment.putAll(ownEnvironment);
        // not under the lock: the two sides may start side by side
        AppProcess app = AppProcess.start(name, jar, listensOn, environment,
                settings.jvmArgs(), niceness, settings.workDir().resolve("logs"), settings.workDir().resolve("apps"));
        synchronized (this) {
            apps.add(app);
        }
        return app;
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(Map.of(
                "DB_URL", database.jdbcUrl(),
                "DB_USER", MariaDbServer.USER,
                "DB_PASSWORD", database.password(),
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", Integer.toString(redis.port()),
                "REDIS_PASSWORD", redis.password(),
                // generated by the first command side, shared by all
                "IDEMPOTENCY_TOKEN_SECRET_FILE",
                StackSecrets.directory(settings.workDir()).resolve(StackSecrets.TOKEN_SECRET).toString(),
                // the apps listen on loopback like the infrastructure, unless told otherwise
                "SERVER_ADDRESS", "127.0.0.1"));
        if (elasticsearch != null) {
            environment.put("ELASTICSEARCH_URI", elasticsearch.url());
            environment.put("ELASTICSEARCH_USERNAME", ElasticsearchServer.USER);
            environment.put("ELASTICSEARCH_PASSWORD", elasticsearch.password());
        }
        if (settings.axonServer() != null) {
            environment.put("SPRING_PROFILES_ACTIVE", "axonserver");
            environment.put("AXONSERVER_SERVERS", settings.axonServer());
        }
        environment.putAll(extraEnvironment);
        return environment;
    }

    /** Stops the apps (last started first), then the infrastructure. */
    @Override
    public void close() {
        List<AppProcess> running;
        synchronized (this) {
            running = new ArrayList<>(apps.reversed());
        }
        // side by side: each app may spend seconds on its graceful stop (and on its first class-data archive)
        List<Thread> stopping = running.stream().map(app -> Thread.ofVirtual().start(app::close)).toList();
        for (Thread app : stopping) {
            try {
                app.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        database.close();
        redis.close();
        if (elasticsearch != null) {
            elasticsearch.close();
        }
    }
}
