package io.chatsystem.query.counts;

import java.util.Map;

import io.chatsystem.system.SharedStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The count flush against the real MariaDB: a count needs no application or chat row (their tables are
 * rebuilt in versions, the counts are not), and never goes down, whatever order flushes land in.
 */
class CountColumnsIT {

    private final String token = "counts-" + System.nanoTime();
    private final SingleConnectionDataSource database =
            new SingleConnectionDataSource(SharedStack.jdbcUrl(), "chat", SharedStack.databasePassword(), true);
    private final JdbcTemplate jdbc = new JdbcTemplate(database);
    private final CountColumns columns = new CountColumns(jdbc);

    @AfterEach
    void cleanUp() {
        // no events behind these rows: left in the shared database, nothing would ever correct them
        jdbc.update("DELETE FROM application_counts WHERE token = ?", token);
        jdbc.update("DELETE FROM chat_counts WHERE application_token = ?", token);
        database.destroy();
    }

    @Test
    void aCountIsWrittenBeforeItsRowExistsAndNeverGoesDown() {
        columns.write(CountFigures.Kind.CHATS_PER_APPLICATION, Map.of(token, 7L));
        columns.write(CountFigures.Kind.CHATS_PER_APPLICATION, Map.of(token, 5L));
        columns.write(CountFigures.Kind.MESSAGES_PER_CHAT, Map.of(token + ":3", 12L));
        columns.write(CountFigures.Kind.MESSAGES_PER_CHAT, Map.of(token + ":3", 2L));

        assertThat(jdbc.queryForObject("SELECT chats_count FROM application_counts WHERE token = ?", Long.class, token))
                .isEqualTo(7L);
        assertThat(jdbc.queryForObject("SELECT messages_count FROM chat_counts WHERE application_token = ? AND number = 3",
                Long.class, token)).isEqualTo(12L);

        columns.write(CountFigures.Kind.CHATS_PER_APPLICATION, Map.of(token, 8L));
        assertThat(jdbc.queryForObject("SELECT chats_count FROM application_counts WHERE token = ?", Long.class, token))
                .isEqualTo(8L);
    }
}
