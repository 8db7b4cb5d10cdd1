package io.chatsystem.query.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.query.config.BatchedWrites;
import io.chatsystem.query.replay.ReadStoreCleared;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.chatsystem.query.config.BatchedWrites.Stage.CHANGE;
import static io.chatsystem.query.config.BatchedWrites.Stage.CREATE;
import static io.chatsystem.query.config.Timestamps.toColumn;

/** The {@code applications} table. Writes are idempotent: replaying an event changes nothing. */
@Repository
class ApplicationRepository {

    private static final String INSERT = """
            INSERT INTO applications (token, name, created_at) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE token = token""";
    private static final String RENAME = "UPDATE applications SET name = ? WHERE token = ?";
    private static final String COLUMNS = "SELECT token, name, chats_count FROM applications ";
    private static final RowMapper<ApplicationView> VIEW = (rs, n) ->
            new ApplicationView(rs.getString("token"), rs.getString("name"), rs.getLong("chats_count"));

    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final ApplicationEventPublisher events;

    ApplicationRepository(JdbcTemplate jdbc, JdbcClient client, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.client = client;
        this.events = events;
    }

    /** Empties the table for a rebuild; the count column is written again as the rows come back. */
    void clear() {
        jdbc.update("DELETE FROM applications");
        events.publishEvent(new ReadStoreCleared("applications"));
    }

    void insert(String token, String name, Instant createdAt) {
        BatchedWrites.add(jdbc, CREATE, INSERT, token, name, toColumn(createdAt));
    }

    void rename(String token, String name) {
        BatchedWrites.add(jdbc, CHANGE, RENAME, name, token);
    }

    Optional<ApplicationView> find(String token) {
        return client.sql(COLUMNS + "WHERE token = ?").param(token).query(VIEW).optional();
    }

    List<ApplicationView> list(PageSpec page) {
        return client.sql(COLUMNS + "ORDER BY created_at, token LIMIT ? OFFSET ?")
                .param(page.size()).param(page.offset())
                .query(VIEW).list();
    }
}
