package io.chatsystem.query.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Collects the SQL writes of one processor batch and runs them as JDBC batches just before the
 * batch's transaction commits (in the same transaction as the processor's token), so a batch of
 * events costs a few round trips instead of one per event.
 *
 * <p>Rows are created before they are changed: all {@link Stage#CREATE} statements run first, then
 * all {@link Stage#CHANGE} statements, each kind in event order. Events create a row before they
 * change it, so the result equals applying the events one by one.
 */
public final class BatchedWrites {

    public enum Stage { CREATE, CHANGE }

    private static final String RESOURCE = BatchedWrites.class.getName();

    private final Map<Stage, Map<String, List<Object[]>>> statements = new EnumMap<>(Stage.class);

    private BatchedWrites() {
    }

    /** Adds one execution of {@code sql} to the batch of the unit of work being processed. */
    public static void add(JdbcTemplate jdbc, Stage stage, String sql, Object... args) {
        BatchedWrites writes = PerBatch.resource(RESOURCE, BatchedWrites::new, created -> created.flush(jdbc));
        writes.statements.computeIfAbsent(stage, s -> new LinkedHashMap<>())
                .computeIfAbsent(sql, s -> new ArrayList<>())
                .add(args);
    }

    private void flush(JdbcTemplate jdbc) {
        for (Stage stage : Stage.values()) {
            statements.getOrDefault(stage, Map.of()).forEach(jdbc::batchUpdate);
        }
    }
}
