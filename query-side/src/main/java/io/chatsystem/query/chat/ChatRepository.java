package io.chatsystem.query.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.query.config.BatchedWrites;
import io.chatsystem.query.replay.VersionedTables;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.chatsystem.query.config.BatchedWrites.Stage.CREATE;
import static io.chatsystem.query.config.Timestamps.toColumn;

/**
 * The {@code chats} view (the live version's table), keyed by (application token, number), with each one's
 * {@code messages_count}; writes go to one version's table and are idempotent.
 */
@Repository
class ChatRepository {

    private static final String COLUMNS = """
            SELECT c.number, COALESCE(n.messages_count, 0) AS messages_count FROM chats c
            LEFT JOIN chat_counts n ON n.application_token = c.application_token AND n.number = c.number
            WHERE c.application_token = ?\s""";
    private static final RowMapper<ChatView> VIEW = (rs, n) ->
            new ChatView(rs.getInt("number"), rs.getLong("messages_count"));

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    ChatRepository(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    /** The writes of one version. */
    final class Writes {

        private final String insert;

        private Writes(String table) {
            this.insert = "INSERT INTO " + table + """
                     (application_token, number, created_at) VALUES (?, ?, ?)
                    ON DUPLICATE KEY UPDATE number = number""";
        }

        void insert(String applicationToken, int number, Instant createdAt) {
            BatchedWrites.add(jdbc, CREATE, insert, applicationToken, number, toColumn(createdAt));
        }
    }

    Writes writes(int version) {
        return new Writes(VersionedTables.table(ChatReadModel.NAME, version));
    }

    Optional<ChatView> find(String applicationToken, int number) {
        return client.sql(COLUMNS + "AND c.number = ?").param(applicationToken).param(number).query(VIEW).optional();
    }

    /** Numbers are gapless, so a page is a range of numbers: a seek on the primary key, however deep the page. */
    List<ChatView> list(String applicationToken, PageSpec page) {
        return client.sql(COLUMNS + "AND c.number BETWEEN ? AND ? ORDER BY c.number")
                .param(applicationToken).param(page.firstNumber()).param(page.lastNumber())
                .query(VIEW).list();
    }
}
