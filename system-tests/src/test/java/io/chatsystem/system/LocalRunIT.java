package io.chatsystem.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.chatsystem.stack.LocalStack;
import org.junit.jupiter.api.Test;

import static io.chatsystem.system.Api.messagesPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's no-Docker run, as a user runs it: the launcher jar brings up everything behind one
 * port, keeps its data across a stop and a second start, and a stop leaves no process behind. A fresh
 * start and a restart log no stack trace, no WARN and no ERROR while the parts come up (the query side
 * starts before the command side has created the event table). With {@code AXONSERVER_SERVERS} set,
 * the launcher is given that Axon Server ({@code --axonserver}).
 */
class LocalRunIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void servesTheApiOnOnePortAndFindsItsDataAfterARestart() throws Exception {
        Path data = Path.of("target").toAbsolutePath().resolve("local-run-" + System.currentTimeMillis());
        int port = freePort();
        Api gateway = new Api("http://127.0.0.1:" + port, "http://127.0.0.1:" + port);

        Process first = launch(data, port);
        String token;
        try {
            token = gateway.createApplication("local run");
            int chat = gateway.createChat(token);
            int message = gateway.sendMessage(token, chat, "Hello from the local run");
            Api.eventually(() -> assertThat(gateway.get(messagesPath(token, chat) + "/" + message).status()).isEqualTo(200));
            Api.eventually(() -> assertThat(gateway.get(messagesPath(token, chat) + "/search?q=loca").body())
                    .contains("Hello from the local run"));

            Api.Response admin = gateway.get("/admin/projections");
            assertThat(admin.status()).isEqualTo(404);
            assertThat(gateway.get("/actuator/health").status()).isEqualTo(404);
            assertThat(gateway.get("/v3/api-docs/query").body()).contains("/api/v1/applications/{token}/chats");
            assertQuietSince(data, Map.of(), "a fresh start");

            // supervised: a process killed outright is started again, and the API comes back by itself
            for (String victim : List.of("mariadbd", "query-side")) {
                descendant(first, victim).destroyForcibly();
                String key = "after killing " + victim;
                Api.eventuallyWithin(RECOVERY_TIMEOUT, () -> assertThat(gateway.keyed("POST", messagesPath(token, chat),
                        Api.json("body", key), key.replace(' ', '-')).status()).isEqualTo(201));
                Api.eventuallyWithin(RECOVERY_TIMEOUT, () -> assertThat(gateway.get(messagesPath(token, chat)).body())
                        .contains(key));
            }
            assertThat(Files.readString(data.resolve("launcher.log")))
                    .contains("MariaDB died; starting it again")
                    .containsPattern("The query side on port \\d+ died; starting it again");
        } finally {
            stop(first);
        }

        Map<Path, Long> beforeRestart = logSizes(data);
        Process second = launch(data, port);
        try {
            Api.eventually(() -> assertThat(gateway.getJson("/api/v1/applications/" + token).get("chats_count").asInt())
                    .isEqualTo(1));
            assertThat(gateway.get(messagesPath(token, 1) + "/search?q=hello").body()).contains("Hello from the local run");
            // the aggregate is rebuilt from the stored events: numbering goes on where it stopped
            assertThat(gateway.sendMessage(token, 1, "after the restart")).isEqualTo(4);
            assertQuietSince(data, beforeRestart, "a restart");
        } finally {
            stop(second);
        }
    }

    /** A stack trace's lines, and lines at WARN or ERROR (Spring Boot's format, the JVM's own warnings). */
    private static final Pattern NOT_QUIET = Pattern.compile(
            "^\\s+at |^Caused by: |^\\S+(Exception|Error): | WARN | ERROR |^WARNING: |^\\S+ (WARN|ERROR) ");

    /**
     * The launcher's log and the apps' logs hold, after the sizes they had in {@code from} (none: from their
     * start), no line an operator of a healthy start would not want: no stack trace, no WARN, no ERROR.
     */
    private static void assertQuietSince(Path data, Map<Path, Long> from, String when) throws IOException {
        List<String> noisy = new ArrayList<>();
        Map<Path, Long> now = logSizes(data);
        for (Path log : now.keySet()) {
            byte[] text = Files.readAllBytes(log);
            int start = (int) Math.min(text.length, from.getOrDefault(log, 0L));
            String added = new String(text, start, text.length - start, java.nio.charset.StandardCharsets.UTF_8);
            added.lines().filter(line -> NOT_QUIET.matcher(line).find())
                    .forEach(line -> noisy.add(log.getFileName() + ": " + line));
        }
        assertThat(now).as("logs of " + when).isNotEmpty();
        assertThat(noisy).as("lines logged by " + when + " that a healthy start should not log").isEmpty();
    }

    /** The launcher's log and each app's, by their sizes now. */
    private static Map<Path, Long> logSizes(Path data) throws IOException {
        Map<Path, Long> sizes = new TreeMap<>();
        List<Path> logs = new ArrayList<>(List.of(data.resolve("launcher.log")));
        try (var apps = Files.list(data.resolve("logs"))) {
            apps.filter(log -> log.toString().endsWith(".log")).forEach(logs::add);
        }
        for (Path log : logs) {
            if (Files.exists(log)) {
                sizes.put(log, Files.size(log));
            }
        }
        return sizes;
    }

    /** Starts the launcher as the README does and waits for its first successful request. */
    private static Process launch(Path data, int port) throws Exception {
        Files.createDirectories(data);
        Path log = data.resolve("launcher.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", System.getProperty("stack.launcherJar"),
                "--repo=" + System.getProperty("stack.repo"), "--data=" + data, "--port=" + port,
                "--command-port=" + freePort(), "--query-port=" + freePort()));
        String axonServer = LocalStack.Settings.axonServerFromEnvironment();
        if (axonServer != null) {
            command.add("--axonserver=" + axonServer);
        }
        if (System.getProperty("stack.jvmArgs") != null) {
            command.add("--jvm-args=" + System.getProperty("stack.jvmArgs"));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long started = System.nanoTime();
        Api gateway = new Api("http://127.0.0.1:" + port, "http://127.0.0.1:" + port);
        while (true) {
            assertThat(process.isAlive()).as("launcher exited; see " + log).isTrue();
            assertThat(System.nanoTime() - started).as("launcher not ready; see " + log).isLessThan(START_TIMEOUT.toNanos());
            try {
                // an unknown application: the query side answers 404 once it is up
                if (gateway.get("/api/v1/applications/AAAAAAAAAAAAAAAAAAAAAA").status() == 404) {
                    System.out.printf("local run answered its first request %d ms after launch%n",
                            (System.nanoTime() - started) / 1_000_000);
                    return process;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager would: the launcher stops everything it started, then exits 0. */
    private static void stop(Process launcher) throws Exception {
        List<ProcessHandle> started = new ArrayList<>(launcher.descendants().toList());
        assertThat(started).as("the launcher's child processes").hasSizeGreaterThanOrEqualTo(5);
        launcher.destroy();
        assertThat(launcher.waitFor(2, TimeUnit.MINUTES)).as("launcher stopped").isTrue();
        assertThat(launcher.exitValue()).isZero();
        for (ProcessHandle child : started) {
            assertThat(child.isAlive()).as("left running: " + child.info().commandLine().orElse("" + child.pid())).isFalse();
        }
    }

    /** The launcher's child process whose command line contains {@code part}. */
    private static ProcessHandle descendant(Process launcher, String part) {
        return launcher.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(part))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no process " + part + " under the launcher"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
