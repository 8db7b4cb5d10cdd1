package io.chatsystem.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import io.chatsystem.stack.ElasticsearchServer;
import io.chatsystem.stack.Ports;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clone in a directory only its owner can enter (root's home is 0700): Elasticsearch, which runs as
 * an unprivileged user when the suite or the local run runs as root, still starts, from a copy of
 * its distribution and with its files where its user can reach them.
 */
class PrivateDirectoryIT {

    @Test
    void elasticsearchStartsFromADirectoryOnlyItsOwnerCanEnter() throws Exception {
        Path owner = Files.createDirectories(Path.of("target").toAbsolutePath().resolve("private-" + System.nanoTime()));
        Files.setPosixFilePermissions(owner, PosixFilePermissions.fromString("rwx------"));
        Path home = Files.createSymbolicLink(owner.resolve("elasticsearch"),
                Path.of(System.getProperty("stack.elasticsearchHome")).toAbsolutePath());
        Path node = owner.resolve("node");

        ElasticsearchServer elasticsearch = ElasticsearchServer.start(home, node, Ports.free());
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/_cluster/health"))
                            .header("Authorization", elasticsearch.authorization()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            if ("root".equals(System.getProperty("user.name"))) {
                assertThat(elasticsearch.directory().startsWith(owner)).as("the node's files, where its user can reach them")
                        .isFalse();
                assertThat(Files.readString(node.resolve("ELASTICSEARCH-LOCATION")))
                        .contains(elasticsearch.directory().toString());
            }
        } finally {
            elasticsearch.close();
            if (!elasticsearch.directory().startsWith(owner)) {
                deleteTree(elasticsearch.directory());
            }
        }
    }

    private static void deleteTree(Path path) throws Exception {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}
