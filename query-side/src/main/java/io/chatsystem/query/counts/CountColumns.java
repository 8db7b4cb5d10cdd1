package io.chatsystem.query.counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes count figures to the MySQL columns in bulk: the figures go into a temporary table with one
 * batched insert, then one joined UPDATE applies them all. Five statements per kind, however many
 * rows changed. {@code GREATEST} keeps a column from ever going down, so concurrent or late
 * flushes are harmless.
 */
@Repository
class CountColumns {

    private static final String CREATE = """
            CREATE TEMPORARY TABLE IF NOT EXISTS count_figures (
                token  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                number INT    NOT NULL,
                figure BIGINT NOT NULL,
                PRIMARY KEY (token, number))""";
    private static final String INSERT = "INSERT INTO count_figures (token, number, figure) VALUES (?, ?, ?)";
    private static final String DROP = "DROP TEMPORARY TABLE count_figures";

    private static final String UPDATE_APPLICATIONS = """
            UPDATE applications a JOIN count_figures f ON a.token = f.token
            SET a.chats_count = GREATEST(a.chats_count, f.figure)""";
    private static final String MISSING_APPLICATIONS = """
            SELECT f.token, f.number FROM count_figures f LEFT JOIN applications a ON a.token = f.token
            WHERE a.token IS NULL""";
    private static final String UPDATE_CHATS = """
            UPDATE chats c JOIN count_figures f ON c.application_token = f.token AND c.number = f.number
            SET c.messages_count = GREATEST(c.messages_count, f.figure)""";
    private static final String MISSING_CHATS = """
            SELECT f.token, f.number FROM count_figures f
            LEFT JOIN chats c ON c.application_token = f.token AND c.number = f.number
            WHERE c.number IS NULL""";

    private final JdbcTemplate jdbc;

    CountColumns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies the figures and answers the entries whose row does not exist yet (its projection is
     * behind the counts projection); those are to be written again later.
     */
    @Transactional
    List<String> write(CountFigures.Kind kind, Map<String, Long> figures) {
        List<Object[]> rows = new ArrayList<>(figures.size());
        figures.forEach((entry, figure) -> rows.add(row(kind, entry, figure)));
        jdbc.execute(CREATE);
        try {
            jdbc.batchUpdate(INSERT, rows);
            boolean applications = kind == CountFigures.Kind.CHATS_PER_APPLICATION;
            // the missing rows first: under READ COMMITTED each statement sees what is committed when it
            // starts, so a row its projection commits between the two would be neither updated nor
            // reported; this way such a row is reported, and written again by the next flush
            List<String> missing = jdbc.query(applications ? MISSING_APPLICATIONS : MISSING_CHATS,
                    (rs, n) -> applications
                            ? rs.getString("token")
                            : CountFigures.chatKey(rs.getString("token"), rs.getInt("number")));
            jdbc.update(applications ? UPDATE_APPLICATIONS : UPDATE_CHATS);
            return missing;
        } finally {
            jdbc.execute(DROP);
        }
    }

    private static Object[] row(CountFigures.Kind kind, String entry, long figure) {
        if (kind == CountFigures.Kind.CHATS_PER_APPLICATION) {
            return new Object[] {entry, 0, figure};
        }
        int separator = entry.lastIndexOf(':');
        return new Object[] {entry.substring(0, separator), Integer.parseInt(entry.substring(separator + 1)), figure};
    }
}
