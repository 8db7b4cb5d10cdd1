package io.chatsystem.query.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.chatsystem.api.application.ApplicationView;
import io.chatsystem.api.common.PageSpec;
import io.chatsystem.query.config.BatchedWrites;
import io.chatsystem.query.replay.VersionedTables;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static io.chatsystem.query.config.BatchedWrites.Stage.CHANGE;
import static io.chatsystem.query.config.BatchedWrites.Stage.CREATE;
import static io.chatsystem.query.config.Timestamps.toColumn;

/**
 * The {@code applications} view (the live version's table) with each one's {@code chats_count}; writes go
 * to one version's table and are idempotent: replaying an event changes nothing.
 */
@Repository
class ApplicationRepository {

    private static final String COLUMNS = """
            SELECT a.token, a.name, COALESCE(c.chats_count, 0) AS chats_count
            FROM applications a LEFT JOIN application_counts c ON c.token = a.token\s""";
    private static final RowMapper<ApplicationView> VIEW = (rs, n) ->
            new ApplicationView(rs.getString("token"), rs.getString("name"), rs.getLong("chats_count"));

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    ApplicationRepository(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    /** The writes of one version. */
    final class Writes {

        private final String insert;
        private final String rename;

        private Writes(String table) {
            this.insert = "INSERT INTO " + table + """
                     (token, name, created_at) VALUES (?, ?, ?)
                    ON DUPLICATE KEY UPDATE token = token""";
            this.rename = "UPDATE " + table + " SET name = ? WHERE token = ?";
        }

        void insert(String token, String name, Instant createdAt) {
            BatchedWrites.add(jdbc, CREATE, insert, token, name, toColumn(createdAt));
        }

        void rename(String token, String name) {
            BatchedWrites.add(jdbc, CHANGE, rename, name, token);
        }
    }

    Writes writes(int version) {
        return new Writes(VersionedTables.table(ApplicationReadModel.NAME, version));
    }

    Optional<ApplicationView> find(String token) {
        return client.sql(COLUMNS + "WHERE a.token = ?").param(token).query(VIEW).optional();
    }

    List<ApplicationView> list(PageSpec page) {
        return client.sql(COLUMNS + "ORDER BY a.created_at, a.token LIMIT ? OFFSET ?")
                .param(page.size()).param(page.offset())
                .query(VIEW).list();
    }
}
