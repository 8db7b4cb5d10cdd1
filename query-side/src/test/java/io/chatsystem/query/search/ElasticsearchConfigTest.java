package io.chatsystem.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ElasticsearchConfigTest {

    @Test
    void withAPasswordEveryRequestAuthenticatesWithoutOneNone() throws Exception {
        List<String> authorizations = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            synchronized (authorizations) {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes());
            exchange.close();
        });
        server.start();
        try {
            SearchSettings settings = new SearchSettings("http://127.0.0.1:" + server.getAddress().getPort(), "messages",
                    0, 200, 20, 100, 10_000, Duration.ofSeconds(2), Duration.ofSeconds(10), DataSize.ofMegabytes(8));
            ElasticsearchConfig config = new ElasticsearchConfig();
            try (Rest5Client client = config.elasticsearchRestClient(settings, "elastic", "s3cret-pass")) {
                client.performRequest(new Request("GET", "/_cluster/health"));
            }
            try (Rest5Client client = config.elasticsearchRestClient(settings, "elastic", "")) {
                client.performRequest(new Request("GET", "/_cluster/health"));
            }
        } finally {
            server.stop(0);
        }

        // "elastic:s3cret-pass" in base64
        assertThat(authorizations).containsExactly("Basic ZWxhc3RpYzpzM2NyZXQtcGFzcw==", "null");
    }
}
