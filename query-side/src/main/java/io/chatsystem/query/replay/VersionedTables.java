package io.chatsystem.query.replay;

import java.sql.Statement;
import java.util.function.IntFunction;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The MySQL side of versioned read models: version {@code n} of {@code messages} is the table
 * {@code messages_vn}, made like {@code messages_template} (the schema lives there); readers read the view
 * {@code messages}, which one DDL statement points at another version for every instance at once.
 */
@Component
public class VersionedTables {

    /**
     * DDL waits this long (seconds) for the statements using a table or view to end; a read through the
     * view waits behind a waiting swap, so it must not wait for long.
     */
    private static final int LOCK_WAIT_SECONDS = 5;

    private final JdbcTemplate jdbc;

    VersionedTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A read model kept in versions of the table {@code view}. */
    public ReadModel readModel(String view, IntFunction<Object> handlers) {
        return new ReadModel() {
            @Override
            public String name() {
                return view;
            }

            @Override
            public Object handlers(int version) {
                return handlers.apply(version);
            }

            @Override
            public void create(int version) {
                ddl("CREATE TABLE IF NOT EXISTS " + table(view, version) + " LIKE " + view + "_template");
            }

            @Override
            public void publish(int version) {
                ddl("CREATE OR REPLACE VIEW " + view + " AS SELECT * FROM " + table(view, version));
            }

            @Override
            public void drop(int version) {
                ddl("DROP TABLE IF EXISTS " + table(view, version));
            }

            @Override
            public boolean published() {
                Integer views = jdbc.queryForObject("""
                        SELECT COUNT(*) FROM information_schema.views
                        WHERE table_schema = DATABASE() AND table_name = ?""", Integer.class, view);
                return views != null && views > 0;
            }
        };
    }

    /** The table of a version. */
    public static String table(String view, int version) {
        return view + "_v" + version;
    }

    /** On one connection: the lock wait applies to the statement. */
    private void ddl(String statement) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
                ddl.execute(statement);
            }
            return null;
        });
    }
}
