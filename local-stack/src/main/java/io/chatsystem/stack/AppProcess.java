package io.chatsystem.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One of the two Spring Boot apps, run as a separate JVM from its executable jar. */
public final class AppProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final int port;
    private final Process process;
    private final Path logFile;

    private AppProcess(String name, int port, Process process, Path logFile) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * The collections the JVM starts for its own sake while it warms up are full ones with the parallel
     * collector, and under load one stopped the query side for about a second (jstat): for class metadata
     * past {@code MetaspaceSize} (default about 20 MB; the apps load about 100 MB) and for compiled code
     * grown by {@code SweeperThreshold} per cent of the code cache (default 15, some 36 MB, about what the
     * apps compile in their first minutes). Both set above what the apps reach.
     */
    private static final int UNSAFE_WARNING_SINCE = 24;

    private static final List<String> WARM_UP_COLLECTIONS_OFF = List.of("-XX:MetaspaceSize=256m",
            "-XX:SweeperThreshold=50");

    /**
     * Starts {@code jar} with the given environment and waits until it is ready for traffic (readiness probe).
     * Output goes to {@code <logDir>/<name>.log}; the jar runs extracted under {@code appsDir} ({@link ExtractedJar}).
     * A {@code niceness} other than 0 runs it under {@code nice}, which replaces itself with the JVM: the
     * process is still the app's.
     */
    public static AppProcess start(String name, Path jar, int port, Map<String, String> env, List<String> jvmArgs,
                                   int niceness, Path logDir, Path appsDir) {
        try {
            Files.createDirectories(logDir);
            Path logFile = logDir.resolve(name + ".log");
            List<String> command = new ArrayList<>(launcher(niceness));
            // out of memory, a JVM limps on with some threads dead (Axon's included): exit, and be started afresh
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(WARM_UP_COLLECTIONS_OFF);
            if (Runtime.version().feature() >= UNSAFE_WARNING_SINCE) {
                // JDK 24+ warns at start that a library uses sun.misc.Unsafe's memory access (Ehcache, JEP 498) or
                // loads a native library (gRPC's Netty, over Axon Server, JEP 472): allowed, not warned about
                command.add("--sun-misc-unsafe-memory-access=allow");
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(jvmArgs);
            command.addAll(ExtractedJar.launchArguments(jar, appsDir));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            long started = System.nanoTime();
            AppProcess app = new AppProcess(name, port, builder.start(), logFile);
            app.awaitHealthy();
            log.info("{} ready on port {} in {} ms", name, port, (System.nanoTime() - started) / 1_000_000);
            return app;
        } catch (IOException e) {
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    /** The start of an app's command line: its JVM, under {@code nice} when {@code niceness} is not 0. */
    static List<String> launcher(int niceness) {
        return niceness == 0 ? List.of(javaExecutable())
                : List.of("nice", "-n", Integer.toString(niceness), javaExecutable());
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The app's JVM, to freeze it (SIGSTOP) in fault tests. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": "
                        + Logs.tail(logFile) + " (see " + logFile + ")");
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(Duration.ofMillis(250));
        }
        close();
        throw new IllegalStateException(name + " was not healthy within " + STARTUP_TIMEOUT + "; see " + logFile);
    }

    /** Stops the app gracefully (SIGTERM), or forcibly if it does not stop in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the app without giving it a chance to finish anything, like a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
