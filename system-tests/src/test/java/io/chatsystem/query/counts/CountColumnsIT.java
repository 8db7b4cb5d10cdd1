package io.chatsystem.query.counts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.chatsystem.system.SharedStack;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side's count flush against the real MariaDB, while a projection creates the rows it
 * writes to: a figure is never dropped, whichever statement of the flush the row's commit falls
 * between. (Seen in a replay: an application whose row came back mid-flush kept chats_count 0.)
 */
class CountColumnsIT {

    @Test
    void aRowCommittedDuringAFlushGetsItsFigureNowOrIsLeftForTheNextFlush() throws SQLException {
        String token = "flush-race-" + System.nanoTime();
        try (Connection projection = DriverManager.getConnection(SharedStack.jdbcUrl(), "chat", "chat")) {
            Runnable rowCommitted = () -> insertApplication(projection, token);
            SingleConnectionDataSource flushing = new SingleConnectionDataSource(SharedStack.jdbcUrl(), "chat", "chat", true);
            flushing.setAutoCommit(false);
            try (Connection flush = flushing.getConnection()) {
                // as the flusher's transaction runs on the query side
                flush.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                CountColumns columns = new CountColumns(new RowAppearsAfterFirstStatement(flushing, rowCommitted));

                List<String> notWritten = columns.write(CountFigures.Kind.CHATS_PER_APPLICATION, Map.of(token, 7L));
                flush.commit();

                int written = new JdbcTemplate(flushing).queryForObject(
                        "SELECT chats_count FROM applications WHERE token = ?", Integer.class, token);
                assertThat(notWritten.contains(token) || written == 7)
                        .as("figure 7 written (column holds %d) or left for the next flush (%s)", written, notWritten)
                        .isTrue();
            } finally {
                flushing.destroy();
                // the row has no events behind it: left in the shared database, a replay would not rebuild it
                try (var delete = projection.prepareStatement("DELETE FROM applications WHERE token = ?")) {
                    delete.setString(1, token);
                    delete.executeUpdate();
                }
            }
        }
    }

    private static void insertApplication(Connection connection, String token) {
        try (var insert = connection.prepareStatement(
                "INSERT INTO applications (token, name, chats_count, created_at) VALUES (?, 'raced', 0, NOW(6))")) {
            insert.setString(1, token);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Commits the row, on another connection, right after the first of the flush's two statements that
     * look at the rows (the joined UPDATE and the query for missing rows), whichever order they run in.
     */
    private static final class RowAppearsAfterFirstStatement extends JdbcTemplate {

        private Runnable rowCommitted;

        RowAppearsAfterFirstStatement(SingleConnectionDataSource dataSource, Runnable rowCommitted) {
            super(dataSource);
            this.rowCommitted = rowCommitted;
        }

        @Override
        public int update(String sql) {
            int updated = super.update(sql);
            afterStatement();
            return updated;
        }

        @Override
        public <T> List<T> query(String sql, RowMapper<T> rowMapper) {
            List<T> rows = super.query(sql, rowMapper);
            afterStatement();
            return rows;
        }

        private void afterStatement() {
            if (rowCommitted != null) {
                rowCommitted.run();
                rowCommitted = null;
            }
        }
    }
}
