package io.chatsystem.query.replay;

import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The versions of each projection's read model ({@code projection_versions}), which every instance follows. */
@Repository
class ProjectionVersions {

    enum State { BUILDING, LIVE, RETIRED }

    /** A version of a projection and since when it is in its state (database time). */
    record Version(String projection, int version, State state, Instant since) {

        String processor() {
            return ReadModel.processorName(projection, version);
        }
    }

    private static final String SELECT = "SELECT projection, version, state, changed_at FROM projection_versions ";

    private final JdbcTemplate jdbc;

    ProjectionVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Version> all() {
        return jdbc.query(SELECT + "ORDER BY projection, version", (row, n) -> new Version(row.getString("projection"),
                row.getInt("version"), State.valueOf(row.getString("state").toUpperCase()),
                row.getTimestamp("changed_at").toInstant()));
    }

    /** The number a new version of the projection gets. */
    int next(String projection) {
        Integer last = jdbc.queryForObject("SELECT MAX(version) FROM projection_versions WHERE projection = ?",
                Integer.class, projection);
        return last == null ? 1 : last + 1;
    }

    /**
     * Records a new version; false if another instance recorded that version first, or, for a building one,
     * if the projection has one building already (a unique key keeps it to one).
     */
    boolean add(String projection, int version, State state) {
        try {
            jdbc.update("""
                    INSERT INTO projection_versions (projection, version, state, building, created_at, changed_at)
                    VALUES (?, ?, ?, ?, NOW(6), NOW(6))""", projection, version, state.name().toLowerCase(),
                    state == State.BUILDING ? projection : null);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * Locks the rows of the projections for this transaction, so that rebuilds asked at once of several
     * instances are decided one after the other; the projections among them that are building.
     */
    List<String> lockBuilding(List<String> projections) {
        String in = String.join(", ", java.util.Collections.nCopies(projections.size(), "?"));
        return jdbc.queryForList("SELECT projection, state FROM projection_versions WHERE projection IN (" + in
                        + ") ORDER BY projection, version FOR UPDATE", projections.toArray()).stream()
                .filter(row -> State.BUILDING.name().equalsIgnoreCase((String) row.get("state")))
                .map(row -> (String) row.get("projection")).toList();
    }

    /** Whether the projection has a version at all (none before its first is made at start-up). */
    boolean exists(String projection) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM projection_versions WHERE projection = ?",
                Integer.class, projection);
        return count != null && count > 0;
    }

    /** Locks a version's row for this transaction: false unless it is in the state given. */
    boolean lock(String projection, int version, State state) {
        return !jdbc.queryForList("""
                        SELECT version FROM projection_versions WHERE projection = ? AND version = ? AND state = ?
                        FOR UPDATE""", Integer.class, projection, version, state.name().toLowerCase()).isEmpty();
    }

    void changeState(String projection, int version, State state) {
        jdbc.update("""
                        UPDATE projection_versions SET state = ?, building = NULL, changed_at = NOW(6)
                        WHERE projection = ? AND version = ?""", state.name().toLowerCase(), projection, version);
    }

    void remove(String projection, int version) {
        jdbc.update("DELETE FROM projection_versions WHERE projection = ? AND version = ?", projection, version);
    }

    /**
     * Makes a retired processor's segments unclaimable for good: an instance that has not learned of the
     * retirement yet (a frozen one) cannot claim them and write to the dropped store, nor, finding no
     * segments, start the processor over from the first event (as Axon does for a processor without tokens).
     */
    void tombstoneTokens(String processor) {
        jdbc.update("UPDATE token_entry SET owner = ?, timestamp = ? WHERE processor_name = ?",
                RETIRED_OWNER, RETIRED_UNTIL, processor);
    }

    /** The owner of a retired processor's segments: no instance is named so. */
    static final String RETIRED_OWNER = "retired";
    /** A claim timestamp that never times out. */
    private static final String RETIRED_UNTIL = "9999-12-31T23:59:59Z";
}
