package io.chatsystem.system;

import java.net.URI;

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
