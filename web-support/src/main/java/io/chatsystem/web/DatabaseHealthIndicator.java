package io.chatsystem.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

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
    /** Touched by the one running check only. */
    private Connection connection;
    private CompletableFuture<Health> running;

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

    /**
     * One check at a time, shared: callers that arrive while a check is under way take its answer
     * instead of queuing checks of their own behind it (under load, queued checks would answer later
     * and later, and look like an outage).
     */
    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CompletableFuture<Health> check;
        boolean mine = false;
        synchronized (this) {
            if (running == null) {
                running = new CompletableFuture<>();
                mine = true;
            }
            check = running;
        }
        if (mine) {
            Health health;
            try {
                health = check();
            } catch (RuntimeException e) {
                health = Health.down(e).build();
            }
            synchronized (this) {
                running = null;
            }
            check.complete(health);
        }
        Health health = check.join();
        builder.status(health.getStatus()).withDetails(health.getDetails());
    }

    private Health check() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, credentials);
            }
            if (connection.isValid(timeoutSeconds)) {
                return Health.up().build();
            }
            close();
            return Health.down().withDetail("error", "no answer within " + timeoutSeconds + " s").build();
        } catch (SQLException e) {
            close();
            return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }

    /** Drops the probe's connection; the next check opens a new one. */
    public void close() {
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
