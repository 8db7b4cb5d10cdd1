package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch node from the integ-test distribution on Maven Central, run as a separate
 * process on loopback. Elasticsearch refuses to run as root, so as root it runs as user 65534.
 * Its data survives {@link #stop()} / {@link #start()}. Security is on, without TLS (one node, on loopback):
 * every request authenticates as {@link #USER} ({@link #authorization()}), whose password is the keystore's
 * {@code bootstrap.password}.
 *
 * <p>That user must be able to reach the distribution and the node's directory. When one of them lies
 * under a directory it cannot enter (root's home is 0700), the distribution is copied once, and the
 * node's files are kept, under {@code /var/tmp/chat-system-elasticsearch} (property
 * {@code stack.elasticsearchShared}), which it can reach; a file {@code ELASTICSEARCH-LOCATION} in the
 * node's own directory says where.
 */
public final class ElasticsearchServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final String UNPRIVILEGED = "65534";
    private static final Path SHARED = Path.of(System.getProperty("stack.elasticsearchShared",
            "/var/tmp/chat-system-elasticsearch"));
    /** The built-in superuser; its password is the keystore's {@code bootstrap.password}. */
    public static final String USER = "elastic";
    /** Where the node's configuration notes the digest of the password its keystore holds. */
    private static final String PASSWORD_DIGEST = "bootstrap-password.sha256";

    private final Path home;
    private final Path directory;
    private final int port;
    private final String password;
    private Process process;

    private ElasticsearchServer(Path home, Path directory, int port, String password) {
        this.home = home;
        this.directory = directory;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts a node of the distribution unpacked at {@code home}, keeping its files in {@code directory}, with a
     * password of its own for {@link #USER}.
     */
    public static ElasticsearchServer start(Path home, Path directory, int port) {
        return start(home, directory, port, StackSecrets.random());
    }

    /**
     * Starts a node of the distribution unpacked at {@code home}, keeping its files in {@code directory}, on which
     * {@link #USER} has {@code password}.
     */
    public static ElasticsearchServer start(Path home, Path directory, int port, String password) {
        if (isRoot()) {
            home = reachable(home);
            directory = reachableDirectory(directory);
        }
        ElasticsearchServer server = new ElasticsearchServer(home, directory, port, password);
        server.prepare();
        server.start();
        return server;
    }

    public int port() {
        return port;
    }

    /** Where the node keeps its data, logs and console output. */
    public Path directory() {
        return directory;
    }

    /** The distribution itself, or a copy of it that the unprivileged user can reach. */
    private static Path reachable(Path home) {
        if (unprivilegedCan("-x", home.resolve("bin/elasticsearch"))) {
            return home;
        }
        try {
            Path copy = SHARED.resolve("dist").resolve(home.toRealPath().getFileName().toString());
            if (!Files.exists(copy.resolve(".complete"))) {
                log.info("Copying Elasticsearch to {}: its user cannot reach {}", copy, home);
                Path partial = Files.createDirectories(copy.getParent()).resolve(copy.getFileName() + ".partial");
                Directories.deleteTree(partial);
                copyTree(home.toRealPath(), partial);
                Directories.deleteTree(copy);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
                Files.createFile(copy.resolve(".complete"));
            }
            openUp(copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy Elasticsearch from " + home + " to " + SHARED, e);
        }
    }

    /** The node's directory, or one under the shared place when the unprivileged user cannot reach it. */
    private static Path reachableDirectory(Path directory) {
        Path existing = directory.toAbsolutePath().normalize();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (unprivilegedCan("-x", existing)) {
            return directory;
        }
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(directory.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
            Path shared = Files.createDirectories(SHARED.resolve("nodes").resolve(id));
            openUp(shared);
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("ELASTICSEARCH-LOCATION"), "Elasticsearch keeps this node's files in "
                    + shared + ": its user (" + UNPRIVILEGED + ") cannot reach " + directory.toAbsolutePath() + "\n");
            log.info("Elasticsearch keeps its files in {}: its user cannot reach {}", shared, directory.toAbsolutePath());
            return shared;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot place Elasticsearch's files for " + directory, e);
        }
    }

    /** Every directory from the shared place down to {@code path} is searchable by everyone. */
    private static void openUp(Path path) throws IOException {
        for (Path dir = path; dir != null && dir.startsWith(SHARED); dir = dir.getParent()) {
            if (Files.isDirectory(dir)) {
                dir.toFile().setExecutable(true, false);
                dir.toFile().setReadable(true, false);
            }
        }
    }

    private static boolean unprivilegedCan(String test, Path path) {
        try {
            Process check = new ProcessBuilder("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + UNPRIVILEGED,
                    "--clear-groups", "test", test, path.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    target.toFile().setExecutable(true, false);
                    target.toFile().setReadable(true, false);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    target.toFile().setReadable(true, false);
                }
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@link #USER}'s password. */
    public String password() {
        return password;
    }

    /** The {@code Authorization} header of {@link #USER}'s requests (HTTP Basic). */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void prepare() {
        try {
            Path config = Files.createDirectories(directory.resolve("config"));
            try (Stream<Path> files = Files.walk(home.resolve("config"))) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = config.resolve(home.resolve("config").relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.createDirectories(directory.resolve("data"));
            Files.createDirectories(directory.resolve("logs"));
            Files.createDirectories(directory.resolve("tmp"));
            Files.writeString(config.resolve("elasticsearch.yml"), String.join("\n",
                    "cluster.name: chat-local",
                    "node.name: local",
                    "discovery.type: single-node",
                    // credentials on every request; no TLS: one node, on loopback only (it warns that transport
                    // TLS is off, a check it enforces only on a node bound beyond loopback)
                    "xpack.security.enabled: true",
                    "xpack.security.http.ssl.enabled: false",
                    "xpack.security.transport.ssl.enabled: false",
                    "network.host: 127.0.0.1",
                    "http.port: " + port,
                    "transport.port: " + Ports.free(),
                    "path.data: " + directory.resolve("data").toAbsolutePath(),
                    "path.logs: " + directory.resolve("logs").toAbsolutePath(),
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    // a write to a missing alias must fail, not create an index with a guessed mapping
                    "action.auto_create_index: false",
                    ""));
            // The synchronisation of the built-in roles into the .security index fails over and over on this
            // distribution (its index settings want the analysis-common module, which it lacks) and would fill
            // the log; the node's own users and roles do not need it.
            Files.writeString(Files.createDirectories(config.resolve("jvm.options.d")).resolve("chat-security.options"),
                    "-Des.queryable_built_in_roles_enabled=false\n");
            try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
                scripts.forEach(script -> script.toFile().setExecutable(true, false));
            }
            if (isRoot()) {
                run("chown", "-R", UNPRIVILEGED + ":" + UNPRIVILEGED, directory.toAbsolutePath().toString());
            }
            keepPassword(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Elasticsearch in " + directory, e);
        }
    }

    /**
     * Puts the password in the node's keystore ({@code bootstrap.password}, created with the keystore if there is
     * none) unless the keystore holds it already: the tool is a JVM of its own (about 4 s here), so it runs at a
     * first start and when the password changed, known by its digest beside the keystore.
     */
    private void keepPassword(Path config) throws IOException {
        Path keystore = config.resolve("elasticsearch.keystore");
        Path digestFile = config.resolve(PASSWORD_DIGEST);
        String digest = sha256(password);
        if (Files.exists(keystore) && Files.exists(digestFile) && Files.readString(digestFile).strip().equals(digest)) {
            return;
        }
        ProcessBuilder builder = tool("elasticsearch-keystore", "add", "--stdin", "--force", "bootstrap.password")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()));
        Process keystoreTool = builder.start();
        try (var stdin = keystoreTool.getOutputStream()) {
            stdin.write(password.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!keystoreTool.waitFor(2, TimeUnit.MINUTES) || keystoreTool.exitValue() != 0) {
                keystoreTool.destroyForcibly();
                throw new IOException("elasticsearch-keystore could not set bootstrap.password: "
                        + Logs.tail(directory.resolve("console.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        // the node's user alone (the tool leaves it readable by its group)
        keystore.toFile().setReadable(false, false);
        keystore.toFile().setWritable(false, false);
        keystore.toFile().setReadable(true, true);
        keystore.toFile().setWritable(true, true);
        Files.deleteIfExists(digestFile);
        Files.writeString(Files.createFile(digestFile, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), digest + "\n");
        if (isRoot()) {
            run("chown", UNPRIVILEGED + ":" + UNPRIVILEGED, digestFile.toAbsolutePath().toString());
        }
    }

    /** A tool of the distribution's {@code bin}, run as the node's user on the node's configuration. */
    private ProcessBuilder tool(String name, String... arguments) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + UNPRIVILEGED, "--clear-groups"));
        }
        command.add(home.resolve("bin").resolve(name).toAbsolutePath().toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ES_PATH_CONF", directory.resolve("config").toAbsolutePath().toString());
        builder.environment().put("ES_TMPDIR", directory.resolve("tmp").toAbsolutePath().toString());
        return builder;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void start() {
        ProcessBuilder builder = tool("elasticsearch")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()));
        builder.environment().put("ES_JAVA_OPTS", System.getProperty("stack.elasticsearchJavaOpts", "-Xms512m -Xmx512m"));
        long started = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch did not start", e);
        }
        awaitHealthy();
        log.info("Elasticsearch ready on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .header("Authorization", authorization()).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with " + process.exitValue() + ": "
                        + Logs.tail(directory.resolve("console.log")) + " (see " + directory.resolve("console.log") + ")");
            }
            try {
                status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        stop();
        throw new IllegalStateException("Elasticsearch was not healthy within " + STARTUP_TIMEOUT + (status == 401
                ? ": it refused user " + USER + "'s password (was it changed other than in the keystore's bootstrap.password?)"
                : ""));
    }

    /** The node's processes: its launcher and the server JVM the launcher started. */
    public synchronized List<ProcessHandle> processes() {
        if (process == null) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        return all;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the node again on its data after it died. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the node and the server JVM its launcher started. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
