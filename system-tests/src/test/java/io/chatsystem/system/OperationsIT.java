package io.chatsystem.system;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators and client developers read off each side: health, Prometheus metrics, the OpenAPI description. */
class OperationsIT {

    private static final List<String> PROJECTIONS = List.of("applications", "chats", "messages", "counts", "search");

    /** Health checks are cut off after 1 s; this bound only adds room for a loaded 2-core machine. */
    private static final long HEALTH_ANSWER_BOUND_MILLIS = 2_500;

    private final Api api = SystemUnderTest.get().api();

    @Test
    void eachSideReportsTheHealthOfWhatItDependsOn() {
        JsonNode command = health(api.commandUrl);
        assertThat(command.get("status").asString()).isEqualTo("UP");
        assertThat(status(command, "eventStore")).isEqualTo("UP");
        // on Axon Server the command side keeps nothing in the database and does not connect to one
        assertThat(status(command, "db")).isEqualTo(SystemUnderTest.get().onAxonServer() ? "missing" : "UP");

        Api.eventually(() -> {
            JsonNode query = health(api.queryUrl);
            for (String component : List.of("db", "eventStore", "redis", "elasticsearch", "projections")) {
                assertThat(status(query, component)).as(component).isEqualTo("UP");
            }
            assertThat(query.get("components").get("projections").get("details").propertyNames())
                    .containsAll(PROJECTIONS);
        });
    }

    @Test
    void theQuerySideReportsTheHealthOfElasticsearchAsDownWhileItIsDown() {
        SystemUnderTest system = SystemUnderTest.get();
        system.stopElasticsearch();
        try {
            JsonNode query = health(api.queryUrl);
            assertThat(status(query, "elasticsearch")).isEqualTo("DOWN");
            assertThat(query.get("status").asString()).isEqualTo("DOWN");
            assertThat(status(query, "db")).isEqualTo("UP");
        } finally {
            system.startElasticsearch();
        }
        Api.eventually(() -> assertThat(status(health(api.queryUrl), "elasticsearch")).isEqualTo("UP"));
    }

    @Test
    void aFrozenDatabaseShowsAsDownWithinASecondOnEachSideThatUsesIt() {
        SystemUnderTest system = SystemUnderTest.get();
        List<String> sides = system.onAxonServer() ? List.of(api.queryUrl) : List.of(api.commandUrl, api.queryUrl);
        try (var frozen = system.freezeDatabase()) {
            for (String side : sides) {
                assertDownPromptly(side, "db");
            }
        }
        for (String side : sides) {
            Api.eventually(() -> assertThat(status(health(side), "db")).isEqualTo("UP"));
        }
        // the sides' store monitors may have declared the outage just as it ended (its checks had failed
        // for their confirmation second): they follow the health within a probe or two
        Api.eventually(() -> assertThat(api.post("/api/v1/applications", Api.json("name", "after the freeze")).status())
                .isEqualTo(201));
    }

    @Test
    void redisDownShowsAsDownWithinASecond() {
        SystemUnderTest system = SystemUnderTest.get();
        system.stopRedis();
        try {
            assertDownPromptly(api.queryUrl, "redis");
        } finally {
            system.startRedis();
        }
        Api.eventually(() -> assertThat(status(health(api.queryUrl), "redis")).isEqualTo("UP"));
    }

    /** The component is DOWN, and health said so within its time limit (1 s) plus a margin for a busy machine. */
    private void assertDownPromptly(String side, String component) {
        long started = System.nanoTime();
        Api.Response response = api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(side, "GET", "/actuator/health", null, null);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%s health of %s answered in %d ms%n", side, component, millis);
        assertThat(response.status()).isEqualTo(503);
        assertThat(status(response.json(), component)).as(response.body()).isEqualTo("DOWN");
        assertThat(millis).as("health answered promptly").isLessThan(HEALTH_ANSWER_BOUND_MILLIS);
    }

    @Test
    void prometheusMetricsIncludeTheLagOfEveryProjection() {
        String token = api.createApplication("metered");
        api.createChat(token);
        Api.eventually(() -> assertThat(api.get("/api/v1/applications/" + token + "/chats/1").status()).isEqualTo(200));

        // a projection that is retrying after a failure (an earlier test stopped Elasticsearch) has released
        // its segment and has no position until it claims it again: its lag is NaN meanwhile
        Api.Response query = Api.eventually(() -> api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(api.queryUrl, "GET", "/actuator/prometheus", null, null),
                response -> response.status() == 200 && PROJECTIONS.stream().allMatch(projection -> Pattern.compile(
                        "chat_projection_lag\\{application=\"query-side\",projection=\"" + projection + "\"} \\d+\\.\\d+")
                        .matcher(response.body()).find()));
        assertThat(query.body()).contains("chat_projection_error{", "chat_projection_replaying{", "http_server_requests_seconds");

        Api.Response command = api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(api.commandUrl, "GET", "/actuator/prometheus", null, null);
        assertThat(command.status()).isEqualTo(200);
        assertThat(command.body()).contains("http_server_requests_seconds_count{application=\"command-side\"");
    }

    @Test
    void eachSideDescribesItsApiInOpenApi() {
        JsonNode command = api.send(api.commandUrl, "GET", "/v3/api-docs", null, null).json();
        assertThat(command.get("openapi").asString()).startsWith("3.");
        assertThat(command.get("paths").get("/api/v1/applications/{token}/chats/{chat}/messages").has("post")).isTrue();
        assertThat(command.get("paths").get("/api/v1/applications").has("post")).isTrue();

        JsonNode query = api.send(api.queryUrl, "GET", "/v3/api-docs", null, null).json();
        assertThat(query.get("paths").get("/api/v1/applications/{token}/chats/{chat}/messages/search").has("get")).isTrue();
        assertThat(query.get("paths").get("/api/v1/applications/{token}/events").has("get")).isTrue();
        JsonNode stream = query.get("paths").get("/api/v1/applications/{token}/chats/{chat}/messages/stream").get("get");
        assertThat(stream.toString()).contains("text/event-stream", "Last-Event-ID", "after");
        assertThat(query.get("paths").propertyNames()).noneMatch(path -> path.startsWith("/admin"));
    }

    private JsonNode health(String baseUrl) {
        return api.asOperator(SystemUnderTest.ADMIN_PASSWORD).send(baseUrl, "GET", "/actuator/health", null, null).json();
    }

    private static String status(JsonNode health, String component) {
        JsonNode node = health.get("components").get(component);
        return node == null ? "missing" : node.get("status").asString();
    }
}
