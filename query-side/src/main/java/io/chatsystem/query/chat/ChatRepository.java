package io.chatsystem.query.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.chatsystem.api.chat.ChatView;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.query.config.BatchedWrites;
import io.chatsystem.query.replay.ReadStoreCleared;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.chatsystem.query.config.BatchedWrites.Stage.CREATE;
import static io.chatsystem.query.config.Timestamps.toColumn;

/** The {@code chats} table, keyed by (application token, number). Writes are idempotent. */
@Repository
class ChatRepository {

    private static final String INSERT = """
            INSERT INTO chats (application_token, number, created_at) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE number = number""";
    private static final String COLUMNS = "SELECT number, messages_count FROM chats WHERE application_token = ? ";
    private static final RowMapper<ChatView> VIEW = (rs, n) ->
            new ChatView(rs.getInt("number"), rs.getLong("messages_count"));

    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final ApplicationEventPublisher events;

    ChatRepository(JdbcTemplate jdbc, JdbcClient client, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.client = client;
        this.events = events;
    }

    /** Empties the table for a rebuild; the count column is written again as the rows come back. */
    void clear() {
        jdbc.update("DELETE FROM chats");
        events.publishEvent(new ReadStoreCleared("chats"));
    }

    void insert(String applicationToken, int number, Instant createdAt) {
        BatchedWrites.add(jdbc, CREATE, INSERT, applicationToken, number, toColumn(createdAt));
    }

    Optional<ChatView> find(String applicationToken, int number) {
        return client.sql(COLUMNS + "AND number = ?").param(applicationToken).param(number).query(VIEW).optional();
    }

    /** Numbers are gapless, so a page is a range of numbers: a seek on the primary key, however deep the page. */
    List<ChatView> list(String applicationToken, PageSpec page) {
        return client.sql(COLUMNS + "AND number BETWEEN ? AND ? ORDER BY number")
                .param(applicationToken).param(page.firstNumber()).param(page.lastNumber())
                .query(VIEW).list();
    }
}
