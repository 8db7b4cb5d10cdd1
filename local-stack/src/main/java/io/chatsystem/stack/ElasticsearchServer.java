package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch node from the integ-test distribution on Maven Central, run as a separate
 * process on loopback. Elasticsearch refuses to run as root, so as root it runs as user 65534.
 * Its data survives {@link #stop()} / {@link #start()}.
 */
public final class ElasticsearchServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final String UNPRIVILEGED = "65534";

    private final Path home;
    private final Path directory;
    private final int port;
    private Process process;

    private ElasticsearchServer(Path home, Path directory, int port) {
        this.home = home;
        this.directory = directory;
        this.port = port;
    }

    /** Starts a node of the distribution unpacked at {@code home}, keeping its files in {@code directory}. */
    public static ElasticsearchServer start(Path home, Path directory, int port) {
        ElasticsearchServer server = new ElasticsearchServer(home, directory, port);
        server.prepare();
        server.start();
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
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
                    "xpack.security.enabled: false",
                    "network.host: 127.0.0.1",
                    "http.port: " + port,
                    "transport.port: " + Ports.free(),
                    "path.data: " + directory.resolve("data").toAbsolutePath(),
                    "path.logs: " + directory.resolve("logs").toAbsolutePath(),
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    // a write to a missing alias must fail, not create an index with a guessed mapping
                    "action.auto_create_index: false",
                    ""));
            try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
                scripts.forEach(script -> script.toFile().setExecutable(true, false));
            }
            if (isRoot()) {
                run("chown", "-R", UNPRIVILEGED + ":" + UNPRIVILEGED, directory.toAbsolutePath().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Elasticsearch in " + directory, e);
        }
    }

    public synchronized void start() {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + UNPRIVILEGED, "--clear-groups"));
        }
        command.add(home.resolve("bin/elasticsearch").toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()));
        builder.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ES_PATH_CONF", directory.resolve("config").toAbsolutePath().toString());
        builder.environment().put("ES_TMPDIR", directory.resolve("tmp").toAbsolutePath().toString());
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
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with " + process.exitValue()
                        + "; see " + directory.resolve("console.log"));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
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
        throw new IllegalStateException("Elasticsearch was not healthy within " + STARTUP_TIMEOUT);
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
