package io.chatsystem.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.chatsystem.stack.Gateway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Tenants stay apart and operators are authenticated where they should be: no token is listed to a caller
 * without the operator credential (on the query side or through the gateway), the public API never checks
 * a credential it is sent, and password guessing on the operator endpoints is cut off per address with
 * 429 and Retry-After.
 */
class OperatorSecurityIT {

    private static final String PASSWORD = SystemUnderTest.ADMIN_PASSWORD;
    /** chat.admin.failed-logins.max-failures */
    private static final int MAX_FAILURES = 5;

    private final SystemUnderTest system = SystemUnderTest.get();
    private final Api api = system.api();

    @Test
    void theListOfEveryApplicationIsForOperatorsOnly() {
        String token = api.createApplication("a tenant of its own");
        Api.eventually(() -> assertThat(api.get("/api/v1/applications/" + token).status()).isEqualTo(200));

        try (Gateway gateway = Gateway.start("127.0.0.1", 0, system.commandSideUrls().stream().map(URI::create).toList(),
                List.of(URI.create(system.querySideUrl())))) {
            for (Api caller : List.of(api, new Api(gateway.url(), gateway.url()))) {
                Api.Response anonymous = caller.get("/api/v1/applications?size=500");
                assertThat(anonymous.status()).isEqualTo(401);
                assertThat(anonymous.body()).doesNotContain(token);
                Api.Response wrong = caller.asOperator("not the password").get("/api/v1/applications?size=500");
                assertThat(wrong.status()).isEqualTo(401);
                assertThat(wrong.body()).doesNotContain(token);
            }
        }
        List<JsonNode> listed = api.asOperator(PASSWORD).getAll("/api/v1/applications", 500);
        assertThat(listed.stream().map(application -> application.get("token").asString())).contains(token);
    }

    /** A credential sent to the public API is not looked at: no 401, whatever it says. */
    @Test
    void thePublicApiIgnoresCredentials() {
        String token = api.createApplication("credentials ignored");
        Api.eventually(() -> assertThat(api.get("/api/v1/applications/" + token).status()).isEqualTo(200));
        for (String authorization : List.of(Api.basic("wrong"), "Basic " + "x".repeat(40), "Bearer nonsense", Api.basic(PASSWORD))) {
            Api.Response read = api.send(api.queryUrl, "GET", "/api/v1/applications/" + token, null, null,
                    Map.of("Authorization", authorization));
            assertThat(read.status()).as(authorization).isEqualTo(200);
        }
    }

    @Test
    void passwordGuessingIsCutOffWithRetryAfter() throws Exception {
        for (int guess = 1; guess <= MAX_FAILURES; guess++) {
            assertThat(api.admin("GET", "/admin/projections", "guess-" + guess).status()).isEqualTo(401);
        }
        Api.Response refused = api.admin("GET", "/admin/projections", "guess-6");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isPositive();
        assertThat(api.admin("GET", "/admin/projections", PASSWORD).status())
                .as("locked out: even the right password is not looked at").isEqualTo(429);

        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(api.admin("GET", "/admin/projections", PASSWORD).status()).isEqualTo(200);
    }
}
