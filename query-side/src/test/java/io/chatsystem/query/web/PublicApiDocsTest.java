package io.chatsystem.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole API's description: both sides' paths, with the operations of both where they share a path. */
class PublicApiDocsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonNode reads = JSON.readTree("""
            {"openapi":"3.1.0","info":{"title":"reads","version":"v1"},"servers":[{"url":"http://127.0.0.1:8082"}],
             "tags":[{"name":"applications"}],
             "paths":{"/api/v1/applications":{"get":{"operationId":"list"}},
                      "/api/v1/applications/{token}":{"get":{"operationId":"get"}}},
             "components":{"schemas":{"ApplicationView":{"type":"object"},"ProblemDetail":{"type":"object"}}}}""");
    private final JsonNode writes = JSON.readTree("""
            {"openapi":"3.1.0","info":{"title":"writes","version":"v1"},"servers":[{"url":"http://127.0.0.1:8081"}],
             "tags":[{"name":"applications"},{"name":"messages"}],
             "paths":{"/api/v1/applications":{"post":{"operationId":"create"}},
                      "/api/v1/applications/{token}":{"put":{"operationId":"rename"}},
                      "/api/v1/applications/{token}/chats":{"post":{"operationId":"createChat"}}},
             "components":{"schemas":{"NameRequest":{"type":"object"},"ProblemDetail":{"type":"object"}},
                           "headers":{"Consistency-Token":{"schema":{"type":"string"}}}}}""");

    @Test
    void everyOperationOfBothSidesIsInOneDocument() {
        JsonNode merged = PublicApiDocs.merge(reads, writes);

        assertThat(merged.path("paths").path("/api/v1/applications").propertyNames()).containsExactlyInAnyOrder("get", "post");
        assertThat(merged.path("paths").path("/api/v1/applications/{token}").propertyNames()).containsExactlyInAnyOrder("get", "put");
        assertThat(merged.path("paths").path("/api/v1/applications/{token}/chats").propertyNames()).containsExactly("post");
        assertThat(merged.path("components").path("schemas").propertyNames())
                .containsExactlyInAnyOrder("ApplicationView", "ProblemDetail", "NameRequest");
        assertThat(merged.path("components").path("headers").has("Consistency-Token")).isTrue();
        assertThat(merged.path("tags").findValuesAsString("name")).containsExactly("applications", "messages");
    }

    /** Requests from the console go to the origin it was loaded from: the gateway, which routes them. */
    @Test
    void itsServerIsTheGatewayItWasLoadedFrom() {
        JsonNode merged = PublicApiDocs.merge(reads, writes);

        assertThat(merged.path("servers")).hasSize(1);
        assertThat(merged.path("servers").get(0).path("url").asString()).isEqualTo("/");
        assertThat(merged.path("info").path("title").asString()).isEqualTo(PublicApiDocs.TITLE);
        assertThat(reads.path("info").path("title").asString()).as("the side's own is left alone").isEqualTo("reads");
    }
}
