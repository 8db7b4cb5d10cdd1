package io.chatsystem.system;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatsystem.stack.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.chatsystem.system.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local run's one-port gateway in front of the real apps: a client sees through it exactly what
 * the sides answer, errors included (status, problem+json content type and body).
 */
class GatewayIT {

    private static final Api direct = SystemUnderTest.get().api();
    private static Gateway gateway;
    private static Api through;
    private static String token;

    @BeforeAll
    static void start() {
        gateway = Gateway.start("127.0.0.1", 0, URI.create(direct.commandUrl), URI.create(direct.queryUrl));
        through = new Api(gateway.url(), gateway.url());
        token = direct.createApplication("behind the gateway");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /**
     * Live streams pass through event by event; more open streams than a client's usual connection
     * limit do not hold up other requests; a client that goes away closes its stream on the query side
     * (noticed at the stream's next write: its idle comment, every 2 s in these tests).
     */
    @Test
    void streamsPassThroughAndCloseWithTheirClients() throws Exception {
        int chat = direct.createChat(token);
        String path = Api.messagesPath(token, chat);
        Api.eventually(() -> assertThat(direct.get(path).status()).isEqualTo(200));
        double before = openStreams();
        List<EventStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                streams.add(EventStream.open(gateway.url(), path + "/stream", Map.of()).awaitOpen());
            }
            assertThat(through.get(path).status()).as("a read beside %d open streams", STREAMS).isEqualTo(200);
            direct.sendMessage(token, chat, "to every stream");
            for (EventStream stream : streams) {
                assertThat(EventStream.ids(stream.take(1, Duration.ofSeconds(30)))).containsExactly(1);
            }
            assertThat(openStreams()).isGreaterThanOrEqualTo(STREAMS);
        } finally {
            streams.forEach(EventStream::close);
        }
        // streams of earlier tests may still be closing too: none of these may be left
        Api.eventuallyWithin(Duration.ofSeconds(90), () -> assertThat(openStreams()).isLessThanOrEqualTo(before));
    }

    /** More than Jetty's default of 64 connections per upstream. */
    private static final int STREAMS = 100;

    private static double openStreams() {
        return direct.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(direct.queryUrl, "GET", "/actuator/metrics/chat_streams_open", null, null).json()
                .get("measurements").get(0).get("value").asDouble();
    }

    @Test
    void passesRefusalsThroughUnchanged() {
        assertSame(through.post("/api/v1/applications", json("name", " ")),
                direct.post("/api/v1/applications", json("name", " ")), 422);
        assertSame(through.post("/api/v1/applications", "{\"name\":"), direct.post("/api/v1/applications", "{\"name\":"), 400);
        assertSame(through.put("/api/v1/applications/unknown", json("name", "x")),
                direct.put("/api/v1/applications/unknown", json("name", "x")), 404);
        assertSame(through.get("/api/v1/applications/unknown"), direct.get("/api/v1/applications/unknown"), 404);
    }

    @Test
    void wrongMethodsAre405() {
        String path = "/api/v1/applications/" + token;
        assertSame(through.send(through.commandUrl, "DELETE", path, null, null),
                direct.send(direct.commandUrl, "DELETE", path, null, null), 405);
        assertSame(through.send(through.commandUrl, "PATCH", path, "application/json", json("name", "x")),
                direct.send(direct.commandUrl, "PATCH", path, "application/json", json("name", "x")), 405);
    }

    @Test
    void wrongContentTypesAre415() {
        String path = "/api/v1/applications/" + token;
        assertSame(through.send(through.commandUrl, "PUT", path, "text/plain", "{\"name\":\"x\"}"),
                direct.send(direct.commandUrl, "PUT", path, "text/plain", "{\"name\":\"x\"}"), 415);
        assertSame(through.send(through.commandUrl, "POST", "/api/v1/applications", "application/xml", "<name/>"),
                direct.send(direct.commandUrl, "POST", "/api/v1/applications", "application/xml", "<name/>"), 415);
    }

    private static void assertSame(Api.Response viaGateway, Api.Response fromSide, int status) {
        assertThat(fromSide.status()).as(fromSide.body()).isEqualTo(status);
        assertThat(fromSide.contentType()).startsWith("application/problem+json");
        assertThat(viaGateway.status()).isEqualTo(fromSide.status());
        assertThat(viaGateway.contentType()).isEqualTo(fromSide.contentType());
        assertThat(viaGateway.body()).isEqualTo(fromSide.body());
    }
}
