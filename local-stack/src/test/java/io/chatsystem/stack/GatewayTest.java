package io.chatsystem.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway in front of two upstreams that answer with what they received. */
class GatewayTest {

    private static HttpServer commandSide;
    private static HttpServer querySide;
    private static Gateway gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        commandSide = echo("command");
        querySide = echo("query");
        gateway = Gateway.start("127.0.0.1", 0, uri(commandSide), uri(querySide));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        commandSide.stop(0);
        querySide.stop(0);
    }

    @Test
    void writesGoToTheCommandSideWithTheirBody() throws Exception {
        HttpResponse<String> post = send("POST", "/api/v1/applications", "{\"name\":\"x\"}");
        HttpResponse<String> put = send("PUT", "/api/v1/applications/t/chats/1/messages/2", "{\"body\":\"é\"}");

        assertThat(post.body()).isEqualTo("command POST /api/v1/applications null {\"name\":\"x\"}");
        assertThat(put.body()).isEqualTo("command PUT /api/v1/applications/t/chats/1/messages/2 null {\"body\":\"é\"}");
        assertThat(post.statusCode()).isEqualTo(201);
    }

    @Test
    void readsGoToTheQuerySideWithTheirQueryStringUntouched() throws Exception {
        HttpResponse<String> get = send("GET", "/api/v1/applications/t/chats/1/messages/search?q=h%C3%A9llo+w%26rld&page=2", null);

        assertThat(get.body()).isEqualTo("query GET /api/v1/applications/t/chats/1/messages/search q=h%C3%A9llo+w%26rld&page=2 ");
    }

    @Test
    void eachSideServesItsOpenApiDescription() throws Exception {
        assertThat(send("GET", "/v3/api-docs/command", null).body()).isEqualTo("command GET /v3/api-docs null ");
        assertThat(send("GET", "/v3/api-docs/query", null).body()).isEqualTo("query GET /v3/api-docs null ");
    }

    @Test
    void theWholeApisDescriptionAndItsConsoleComeFromTheQuerySide() throws Exception {
        assertThat(send("GET", "/v3/api-docs", null).body()).isEqualTo("query GET /v3/api-docs/public null ");
        assertThat(send("GET", "/v3/api-docs/swagger-config", null).body()).isEqualTo("query GET /v3/api-docs/swagger-config null ");
        assertThat(send("GET", "/swagger-ui/index.html", null).body()).isEqualTo("query GET /swagger-ui/index.html null ");
        HttpResponse<String> root = send("GET", "/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/swagger-ui/index.html"));
    }

    @Test
    void adminActuatorAndUnknownPathsAreNotExposed() throws Exception {
        for (String path : new String[] {"/admin/projections", "/actuator/health", "/actuator/prometheus", "/swagger-ui.html",
                "/v3/api-docs/other"}) {
            HttpResponse<String> response = send("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        assertThat(send("POST", "/admin/projections/search/replay", "").statusCode()).isEqualTo(404);
    }

    @Test
    void anUpstreamThatIsDownIsABadGateway() throws Exception {
        try (DownAddress down = new DownAddress();
             Gateway broken = Gateway.start("127.0.0.1", 0, down.uri(), down.uri())) {
            down.release();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(broken.url() + "/api/v1/applications")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void severalInstancesOfASideAreTakenInTurnAndOneThatIsDownIsPassedOver() throws Exception {
        HttpServer second = echo("second");
        try (DownAddress down = new DownAddress();
             Gateway pair = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(uri(querySide), uri(second)));
             Gateway halfDown = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide)), List.of(down.uri(), uri(querySide)))) {
            down.release();
            List<String> answeredBy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answeredBy.add(get(pair, "/api/v1/applications").body().split(" ")[0]);
            }
            assertThat(answeredBy).containsExactly("query", "second", "query", "second");

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(get(halfDown, "/api/v1/applications").statusCode());
            }
            // the first request finds the instance down; from then on it is passed over
            assertThat(statuses).containsExactly(502, 200, 200, 200, 200, 200);
        } finally {
            second.stop(0);
        }
    }

    @Test
    void writesToOneAggregateGoToOneCommandSideWhileItIsUp() throws Exception {
        HttpServer second = echo("second");
        try (Gateway pair = Gateway.start("127.0.0.1", 0, List.of(uri(commandSide), uri(second)), List.of(uri(querySide)))) {
            Set<String> chatOne = new HashSet<>();
            Set<String> anyChat = new HashSet<>();
            Set<String> newApplications = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                chatOne.add(post(pair, "/api/v1/applications/t/chats/1/messages"));
                chatOne.add(put(pair, "/api/v1/applications/t/chats/1/messages/" + (i + 1)));
                anyChat.add(post(pair, "/api/v1/applications/t/chats/" + (i + 1) + "/messages"));
                newApplications.add(post(pair, "/api/v1/applications"));
            }
            assertThat(chatOne).as("sends and edits in chat 1").hasSize(1);
            assertThat(anyChat).as("chats spread over the instances").containsExactlyInAnyOrder("command", "second");
            assertThat(newApplications).as("new applications in turn").containsExactlyInAnyOrder("command", "second");

            // the chat's instance goes down: after the refusal its writes go to the other one
            boolean firstOwns = chatOne.contains("command");
            try (DownAddress down = new DownAddress();
                 Gateway ownerDown = Gateway.start("127.0.0.1", 0, firstOwns ? List.of(down.uri(), uri(second))
                         : List.of(uri(commandSide), down.uri()), List.of(uri(querySide)))) {
                down.release();
                List<Integer> statuses = new ArrayList<>();
                Set<String> answeredBy = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> sent = send(ownerDown, "POST", "/api/v1/applications/t/chats/1/messages");
                    statuses.add(sent.statusCode());
                    if (sent.statusCode() == 201) {
                        answeredBy.add(sent.body().split(" ")[0]);
                    }
                }
                assertThat(statuses).containsExactly(502, 201, 201);
                assertThat(answeredBy).containsExactly(firstOwns ? "second" : "command");
            }
        } finally {
            second.stop(0);
        }
    }

    /**
     * A loopback address that refuses connections. Its port stays bound until the gateways under test
     * have bound theirs: a port merely found free may be handed to the next server that binds port 0
     * (CI once saw the "down" instance answer, being the gateway itself).
     */
    private static final class DownAddress implements AutoCloseable {

        private final ServerSocket held;

        DownAddress() throws IOException {
            held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + held.getLocalPort());
        }

        /** From now on nothing listens there. */
        void release() throws IOException {
            held.close();
        }

        @Override
        public void close() throws IOException {
            held.close();
        }
    }

    private static String post(Gateway gateway, String path) throws Exception {
        return send(gateway, "POST", path).body().split(" ")[0];
    }

    private static String put(Gateway gateway, String path) throws Exception {
        return send(gateway, "PUT", path).body().split(" ")[0];
    }

    private static HttpResponse<String> send(Gateway gateway, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Answers "{name} {method} {raw path} {raw query} {body}", 201 to a POST. */
    private static HttpServer echo(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            byte[] answer = (name + " " + exchange.getRequestMethod() + " " + uri.getRawPath() + " " + uri.getRawQuery()
                    + " " + body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders("POST".equals(exchange.getRequestMethod()) ? 201 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
