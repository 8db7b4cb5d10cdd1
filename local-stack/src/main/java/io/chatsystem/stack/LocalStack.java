package io.chatsystem.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine without Docker: MariaDB from Maven Central, the command side and
 * the query side as separate JVMs on the JPA event store. Used by the system tests and by {@link #main}.
 */
public final class LocalStack implements AutoCloseable {

    public record Settings(Path workDir, Path commandJar, Path queryJar, int databasePort, List<String> jvmArgs) {

        /** Settings from system properties {@code stack.*}, as the build passes them. */
        public static Settings fromSystemProperties() {
            return new Settings(
                    Path.of(System.getProperty("stack.workDir", "target/stack")),
                    Path.of(required("stack.commandJar")),
                    Path.of(required("stack.queryJar")),
                    Integer.getInteger("stack.databasePort", 0),
                    List.of(System.getProperty("stack.jvmArgs", "-Xmx512m -XX:+UseParallelGC").split(" ")));
        }

        private static String required(String property) {
            String value = System.getProperty(property);
            if (value == null) {
                throw new IllegalStateException("system property " + property + " is not set");
            }
            return value;
        }
    }

    private final Settings settings;
    private final MariaDbServer database;
    private final List<AppProcess> apps = new ArrayList<>();
    private int started;

    private LocalStack(Settings settings, MariaDbServer database) {
        this.settings = settings;
        this.database = database;
    }

    public static LocalStack start(Settings settings) {
        int port = settings.databasePort() == 0 ? Ports.free() : settings.databasePort();
        return new LocalStack(settings, MariaDbServer.start(settings.workDir().resolve("mariadb"), port));
    }

    public MariaDbServer database() {
        return database;
    }

    public AppProcess startCommandSide() {
        return startApp("command-side", settings.commandJar());
    }

    public AppProcess startQuerySide() {
        return startApp("query-side", settings.queryJar());
    }

    private synchronized AppProcess startApp(String kind, Path jar) {
        String name = kind + "-" + (++started);
        AppProcess app = AppProcess.start(name, jar, Ports.free(), Map.of(
                "DB_URL", database.jdbcUrl(),
                "DB_USER", MariaDbServer.USER,
                "DB_PASSWORD", MariaDbServer.PASSWORD,
                "JPA_DIALECT", MariaDbServer.HIBERNATE_DIALECT), settings.jvmArgs(), settings.workDir().resolve("logs"));
        apps.add(app);
        return app;
    }

    @Override
    public void close() {
        for (AppProcess app : apps.reversed()) {
            app.close();
        }
        database.close();
    }
}
