package io.chatsystem.stack;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary shipped in the embedded-redis artifact on Maven Central), bound to
 * loopback, keeping nothing on disk: a restart is an empty Redis, as after a crash without persistence.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final int port;
    private RedisServer server;

    private RedisServerProcess(int port) {
        this.port = port;
    }

    public static RedisServerProcess start(int port) {
        RedisServerProcess redis = new RedisServerProcess(port);
        redis.start();
        return redis;
    }

    public synchronized void start() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
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

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
