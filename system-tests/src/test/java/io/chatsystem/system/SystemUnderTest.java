package io.chatsystem.system;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.LocalStack;

/**
 * One real system per test run: MariaDB and both apps as separate JVMs, started on first use and
 * stopped when the test JVM exits. Tests that stop or add apps leave one of each running.
 */
final class SystemUnderTest {

    static final String ADMIN_PASSWORD = "admin-secret";

    private static SystemUnderTest instance;

    private final LocalStack stack;
    private final List<AppProcess> commandSides = new ArrayList<>();
    private AppProcess querySide;

    private SystemUnderTest(LocalStack stack) {
        this.stack = stack;
    }

    static synchronized SystemUnderTest get() {
        if (instance == null) {
            LocalStack stack = LocalStack.start(LocalStack.Settings.fromSystemProperties())
                    .withEnvironment("COUNTS_FLUSH_INTERVAL", "1s")
                    .withEnvironment("ADMIN_PASSWORD", ADMIN_PASSWORD)
                    // two segments per projection, in both modes, so that any test may add a second query side
                    .withEnvironment("PROJECTION_SEGMENTS", "2")
                    // a stream notices that its client went away at its next write: its idle comment
                    .withEnvironment("CHAT_STREAMS_HEARTBEAT", "2s")
                    // the tests write from one address far faster than a client would; a test of the limits
                    // starts a command side with its own (startCommandSide with WRITE_RATE_PER_*)
                    .withoutWriteRateLimits();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-system-under-test"));
            SystemUnderTest system = new SystemUnderTest(stack);
            system.commandSides.add(stack.startCommandSide());
            system.querySide = stack.startQuerySide();
            instance = system;
        }
        return instance;
    }

    synchronized Api api() {
        return new Api(commandSides.getFirst().baseUrl(), querySide.baseUrl());
    }

    /** A client that sends each write to the command-side instance named by {@code index}. */
    Api api(int commandSideIndex) {
        return new Api(commandSides.get(commandSideIndex).baseUrl(), querySide.baseUrl());
    }

    synchronized int commandSideCount() {
        return commandSides.size();
    }

    synchronized void ensureCommandSides(int count) {
        while (commandSides.size() < count) {
            commandSides.add(stack.startCommandSide());
        }
    }

    /** Extra command-side processes with settings of their own, for one test; it closes them. */
    AppProcess startCommandSide(Map<String, String> environment) {
        return stack.startCommandSide(0, environment);
    }

    /** Replaces the first command side with a fresh process: nothing of the old one's memory survives. */
    synchronized void restartCommandSide() {
        replaceCommandSide(0);
    }

    /**
     * Replaces every command side with a fresh process: none keeps an aggregate in memory (over Axon Server
     * a command goes to whichever instance its aggregate's routing key picks, not to the one asked).
     */
    synchronized void restartCommandSides() {
        for (int i = 0; i < commandSides.size(); i++) {
            replaceCommandSide(i);
        }
    }

    private void replaceCommandSide(int index) {
        commandSides.get(index).close();
        commandSides.set(index, stack.startCommandSide());
    }

    /** Where Redis listens: it lets nobody in without the password the stack generated. */
    int redisPort() {
        return stack.redis().port();
    }

    /** The base URL of the query side the tests share. */
    synchronized String querySideUrl() {
        return querySide.baseUrl();
    }

    /** The process of the query side the tests share. */
    synchronized ProcessHandle querySideProcess() {
        return querySide.handle();
    }

    /** The base URL of each running command side. */
    synchronized List<String> commandSideUrls() {
        return commandSides.stream().map(AppProcess::baseUrl).toList();
    }

    /** An extra query-side process beside the shared one, for one test; it closes it. */
    AppProcess startExtraQuerySide() {
        return stack.startQuerySide();
    }

    /** An extra query side with settings of its own, for one test; it closes it. */
    AppProcess startExtraQuerySide(Map<String, String> environment) {
        return stack.startQuerySide(0, environment);
    }

    synchronized void stopQuerySide() {
        querySide.close();
    }

    synchronized void crashQuerySide() {
        querySide.kill();
    }

    synchronized void startQuerySide() {
        querySide = stack.startQuerySide();
    }

    void stopElasticsearch() {
        stack.elasticsearch().stop();
    }

    void startElasticsearch() {
        stack.elasticsearch().start();
    }

    /** MariaDB stopped with SIGSTOP, as a hung database looks to the apps, until the result is closed. */
    Frozen freezeDatabase() {
        return Frozen.freeze(database());
    }

    /** The processes of a part of the system, to freeze or kill. */
    synchronized List<ProcessHandle> processes(Part part) {
        return switch (part) {
            case DATABASE -> List.of(database());
            case ELASTICSEARCH -> stack.elasticsearch().processes();
            case REDIS -> List.of(Frozen.descendant("redis-server", ":" + stack.redis().port()));
            case QUERY_SIDE -> List.of(querySide.handle());
            case COMMAND_SIDE -> List.of(commandSides.getFirst().handle());
        };
    }

    /** Kills a part outright (SIGKILL) and starts it again, as a supervisor or an orchestrator would. */
    void killAndRestart(Part part) {
        List<ProcessHandle> processes = processes(part);
        processes.forEach(Frozen::kill);
        switch (part) {
            case DATABASE -> stack.database().restart();
            case ELASTICSEARCH -> stack.elasticsearch().restart();
            case REDIS -> stack.redis().restart();
            case QUERY_SIDE -> startQuerySide();
            case COMMAND_SIDE -> {
                AppProcess replacement = stack.startCommandSide();
                synchronized (this) {
                    commandSides.removeFirst();
                    commandSides.addFirst(replacement);
                }
            }
        }
    }

    enum Part { DATABASE, ELASTICSEARCH, REDIS, QUERY_SIDE, COMMAND_SIDE }

    private ProcessHandle database() {
        return Frozen.descendant("mariadbd", "--port=" + stack.database().port());
    }

    void stopRedis() {
        stack.redis().stop();
    }

    /** Starts Redis again on its port: empty, as a restart without persistence leaves it. */
    void startRedis() {
        stack.redis().start();
    }

    /**
     * Sends one command to Redis over its text protocol, after {@code AUTH} with its password, and answers the
     * first line of the reply.
     */
    String redis(String... command) {
        try (var socket = new java.net.Socket("127.0.0.1", stack.redis().port())) {
            var reply = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().write(redisRequest("AUTH", stack.redis().password()));
            String auth = reply.readLine();
            if (!"+OK".equals(auth)) {
                throw new IllegalStateException("Redis refused AUTH: " + auth);
            }
            socket.getOutputStream().write(redisRequest(command));
            String first = reply.readLine();
            if (first != null && first.startsWith("$") && !first.equals("$-1")) {
                return reply.readLine();
            }
            return first;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] redisRequest(String... command) {
        StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
        for (String part : command) {
            request.append('$').append(part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .append("\r\n").append(part).append("\r\n");
        }
        return request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    String elasticsearchUrl() {
        return stack.elasticsearch().url();
    }

    /** The {@code Authorization} header of a request straight to Elasticsearch. */
    String elasticsearchAuthorization() {
        return stack.elasticsearch().authorization();
    }

    String jdbcUrl() {
        return stack.database().jdbcUrl();
    }

    /** A connection to the apps' database, as the apps log in. */
    java.sql.Connection connectToDatabase() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), io.chatsystem.stack.MariaDbServer.USER, databasePassword());
    }

    String databasePassword() {
        return stack.database().password();
    }

    /** Whether the apps run on an Axon Server ({@code AXONSERVER_SERVERS}) instead of the event table. */
    boolean onAxonServer() {
        return stack.axonServer() != null;
    }

    /**
     * The sequence number of the newest snapshot of an aggregate, or -1: from the snapshot table, or
     * from Axon Server's HTTP API (port {@code AXONSERVER_HTTP_PORT}, 8024 by default, on the host of
     * {@code AXONSERVER_SERVERS}).
     */
    long snapshotSequence(String aggregateId) {
        return onAxonServer() ? AxonServerHttp.of(stack.axonServer()).snapshotSequence(aggregateId)
                : snapshotSequenceInTable(aggregateId);
    }

    private long snapshotSequenceInTable(String aggregateId) {
        try (var connection = connectToDatabase();
             var query = connection.prepareStatement(
                     "SELECT COALESCE(MAX(sequence_number), -1) FROM snapshot_event_entry WHERE aggregate_identifier = ?")) {
            query.setString(1, aggregateId);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
