package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (the binary shipped in the embedded-redis artifact on Maven Central), bound to
 * loopback. Without a directory it keeps nothing on disk, so a restart is an empty Redis, as after a
 * crash without persistence; with one it keeps an append-only file there and a restart finds its data.
 * Every client must authenticate ({@code AUTH} with {@link #password()}: {@code requirepass}).
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final int port;
    private final Path directory;
    private final String password;
    private RedisServer server;

    private RedisServerProcess(int port, Path directory, String password) {
        this.port = port;
        this.directory = directory;
        this.password = password;
    }

    /** A Redis that forgets everything when stopped, with a password of its own. */
    public static RedisServerProcess start(int port) {
        return start(port, null, StackSecrets.random());
    }

    /**
     * A Redis that keeps its data in {@code directory} (an append-only file), or nothing when it is null, and
     * lets in only clients that give {@code password}.
     */
    public static RedisServerProcess start(int port, Path directory, String password) {
        if (password == null || password.isBlank() || password.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
            throw new IllegalArgumentException("Redis's password must be a word without spaces or quotes");
        }
        RedisServerProcess redis = new RedisServerProcess(port, directory, password);
        redis.start();
        return redis;
    }

    public synchronized void start() {
        try {
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    // embedded-redis writes the settings to a temporary file only its owner can read
                    .setting("requirepass " + password)
                    .setting("save \"\"");
            if (directory == null) {
                builder.setting("appendonly no");
            } else {
                builder.setting("dir " + Files.createDirectories(directory).toAbsolutePath())
                        .setting("appendonly yes")
                        .setting("appendfsync everysec");
            }
            server = builder.build();
            server.start();
            log.info("Redis ready on port {}", port);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start", e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                log.warn("Redis did not stop cleanly", e);
            }
            server = null;
        }
    }

    public boolean isAlive() {
        return Ports.accepting(port);
    }

    /** Starts a fresh redis-server after this one died (with its append-only file, if it keeps one). */
    public synchronized void restart() {
        stop();
        start();
    }

    public int port() {
        return port;
    }

    /** What clients must give to {@code AUTH}. */
    public String password() {
        return password;
    }

    @Override
    public void close() {
        stop();
    }
}
