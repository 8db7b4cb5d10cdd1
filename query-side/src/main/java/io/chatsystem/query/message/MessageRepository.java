package io.chatsystem.query.message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.chatsystem.api.common.PageSpec;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.query.config.BatchedWrites;
import io.chatsystem.query.replay.VersionedTables;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.chatsystem.query.config.BatchedWrites.Stage.CHANGE;
import static io.chatsystem.query.config.BatchedWrites.Stage.CREATE;
import static io.chatsystem.query.config.Timestamps.fromColumn;
import static io.chatsystem.query.config.Timestamps.toColumn;

/**
 * The {@code messages} view (the live version's table; writes go to one version's), keyed by
 * (application token, chat number, number): a message row
 * needs no chat row, so the message projection does not depend on the chat projection's progress.
 */
@Repository
class MessageRepository {

    private static final String COLUMNS = """
            SELECT number, body, created_at, updated_at FROM messages
            WHERE application_token = ? AND chat_number = ?\s""";
    private static final RowMapper<MessageView> VIEW = (rs, n) -> new MessageView(
            rs.getInt("number"), rs.getString("body"),
            fromColumn(rs.getObject("created_at", java.time.LocalDateTime.class)),
            fromColumn(rs.getObject("updated_at", java.time.LocalDateTime.class)));

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    MessageRepository(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    /** The writes of one version. */
    final class Writes {

        private final String insert;
        private final String edit;

        private Writes(String table) {
            this.insert = "INSERT INTO " + table + """
                     (application_token, chat_number, number, body, created_at) VALUES (?, ?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE number = number""";
            this.edit = "UPDATE " + table + """
                     SET body = ?, updated_at = ?
                    WHERE application_token = ? AND chat_number = ? AND number = ?""";
        }

        void insert(String applicationToken, int chatNumber, int number, String body, Instant sentAt) {
            BatchedWrites.add(jdbc, CREATE, insert, applicationToken, chatNumber, number, body, toColumn(sentAt));
        }

        void edit(String applicationToken, int chatNumber, int number, String body, Instant editedAt) {
            BatchedWrites.add(jdbc, CHANGE, edit, body, toColumn(editedAt), applicationToken, chatNumber, number);
        }
    }

    Writes writes(int version) {
        return new Writes(VersionedTables.table(MessageReadModel.NAME, version));
    }

    Optional<MessageView> find(String applicationToken, int chatNumber, int number) {
        return client.sql(COLUMNS + "AND number = ?")
                .param(applicationToken).param(chatNumber).param(number)
                .query(VIEW).optional();
    }

    /** Up to {@code limit} messages numbered after {@code after}, in number order. */
    List<MessageView> after(String applicationToken, int chatNumber, int after, int limit) {
        return client.sql(COLUMNS + "AND number > ? ORDER BY number LIMIT ?")
                .param(applicationToken).param(chatNumber).param(after).param(limit)
                .query(VIEW).list();
    }

    /** Numbers are gapless, so a page is a range of numbers: a seek on the primary key, however deep the page. */
    List<MessageView> list(String applicationToken, int chatNumber, PageSpec page) {
        return client.sql(COLUMNS + "AND number BETWEEN ? AND ? ORDER BY number")
                .param(applicationToken).param(chatNumber).param(page.firstNumber()).param(page.lastNumber())
                .query(VIEW).list();
    }
}
