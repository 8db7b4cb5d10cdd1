package io.chatsystem.query.counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Writes count figures to {@code application_counts} and {@code chat_counts} in bulk: one batched upsert,
 * however many rows changed (one round trip). {@code GREATEST} keeps a count from ever going down, so
 * concurrent or late flushes, and figures of a version still being rebuilt, are harmless. A count needs no
 * application or chat row: the tables that are rebuilt are joined with these on reading.
 */
@Repository
class CountColumns {

    private static final String UPSERT_APPLICATIONS = """
            INSERT INTO application_counts (token, chats_count) VALUES (?, ?)
            ON DUPLICATE KEY UPDATE chats_count = GREATEST(chats_count, VALUES(chats_count))""";
    private static final String UPSERT_CHATS = """
            INSERT INTO chat_counts (application_token, number, messages_count) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE messages_count = GREATEST(messages_count, VALUES(messages_count))""";

    private final JdbcTemplate jdbc;

    CountColumns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(CountFigures.Kind kind, Map<String, Long> figures) {
        boolean applications = kind == CountFigures.Kind.CHATS_PER_APPLICATION;
        List<Object[]> rows = new ArrayList<>(figures.size());
        figures.forEach((entry, figure) -> rows.add(applications ? new Object[] {entry, figure} : chatRow(entry, figure)));
        jdbc.batchUpdate(applications ? UPSERT_APPLICATIONS : UPSERT_CHATS, rows);
    }

    private static Object[] chatRow(String entry, long figure) {
        int separator = entry.lastIndexOf(':');
        return new Object[] {entry.substring(0, separator), Integer.parseInt(entry.substring(separator + 1)), figure};
    }
}
