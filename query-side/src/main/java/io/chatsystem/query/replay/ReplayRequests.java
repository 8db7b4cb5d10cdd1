package io.chatsystem.query.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The replays asked of the projections ({@code projection_replays}), which every instance follows. */
@Repository
class ReplayRequests {

    private final JdbcTemplate jdbc;

    ReplayRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an open request; refused while the projection has one open already. */
    long open(String projection) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("""
                        INSERT INTO projection_replays (projection, open_for, requested_at)
                        VALUES (?, ?, NOW(6))""", new String[] {"id"});
                insert.setString(1, projection);
                insert.setString(2, projection);
                return insert;
            }, key);
        } catch (DuplicateKeyException e) {
            throw new ReplayAlreadyRunningException(projection);
        }
        return key.getKey().longValue();
    }

    /** The open requests: id to projection. */
    Map<Long, String> open() {
        Map<Long, String> open = new LinkedHashMap<>();
        jdbc.query("SELECT id, projection FROM projection_replays WHERE open_for IS NOT NULL ORDER BY id",
                row -> {
                    open.put(row.getLong("id"), row.getString("projection"));
                });
        return open;
    }

    Set<String> openProjections() {
        return new TreeSet<>(open().values());
    }

    /** Locks the request for this transaction; false once another instance has carried it out. */
    boolean lockOpen(long id) {
        return !jdbc.queryForList("SELECT id FROM projection_replays WHERE id = ? AND open_for IS NOT NULL FOR UPDATE",
                Long.class, id).isEmpty();
    }

    void markReset(long id, String instance) {
        jdbc.update("UPDATE projection_replays SET open_for = NULL, reset_at = NOW(6), reset_by = ? WHERE id = ?",
                instance, id);
    }

    boolean allReset(List<Long> ids) {
        return ids.stream().allMatch(id -> jdbc.queryForList(
                "SELECT id FROM projection_replays WHERE id = ? AND open_for IS NULL", Long.class, id).size() == 1);
    }
}
