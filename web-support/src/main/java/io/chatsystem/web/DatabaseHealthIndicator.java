package io.chatsystem.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the database answers, asked over a connection of its own rather than one from the pool.
 * Under load every pooled connection can be busy for a while: a check that waited for one would take
 * that contention for an outage, and {@link StoreMonitor} would answer 503 to requests that were only
 * queuing. A frozen or unreachable database still fails this check within {@code timeout}.
 */
public class DatabaseHealthIndicator extends AbstractHealthIndicator {

    private final String url;
    private final Properties credentials = new Properties();
    private final int timeoutSeconds;
    private Connection connection;

    public DatabaseHealthIndicator(String url, String user, String password, Duration timeout) {
        super("Database is not reachable");
        this.url = url;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        credentials.setProperty("user", user == null ? "" : user);
        credentials.setProperty("password", password == null ? "" : password);
        // Connector/J and MariaDB Connector/J: give up on a connect or a read after the timeout
        String millis = Long.toString(timeout.toMillis());
        credentials.setProperty("connectTimeout", millis);
        credentials.setProperty("socketTimeout", millis);
    }

    @Override
    protected synchronized void doHealthCheck(Health.Builder builder) {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, credentials);
            }
            if (connection.isValid(timeoutSeconds)) {
                builder.up();
                return;
            }
            builder.down().withDetail("error", "no answer within " + timeoutSeconds + " s");
        } catch (SQLException e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        close();
    }

    /** Drops the probe's connection; the next check opens a new one. */
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it was broken already
            }
            connection = null;
        }
    }
}
