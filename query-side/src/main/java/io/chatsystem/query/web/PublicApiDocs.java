package io.chatsystem.query.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatsystem.web.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.webmvc.api.OpenApiWebMvcResource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole public API as one OpenAPI document, which the gateway serves as {@code /v3/api-docs} and its
 * console (Swagger UI) renders: this side's description and the command side's, merged path by path (a
 * path such as {@code /api/v1/applications} has its GET here and its POST there). Its server is the
 * origin the document was loaded from: the gateway, which sends each request to its side.
 */
@RestController
class PublicApiDocs {

    /** {@code commandSide}: where a command side's own description is ({@code /v3/api-docs} under it). */
    @ConfigurationProperties("chat.api-docs")
    record Settings(@DefaultValue("http://127.0.0.1:8081") URI commandSide, @DefaultValue("5s") Duration timeout) {
    }

    static final String TITLE = "Chat system API";
    private static final String API_DOCS = "/v3/api-docs";
    private static final String DESCRIPTION = "Applications, chats and messages. Writes (POST, PUT) are commands to "
            + "event-sourced aggregates and answer once the event is stored; reads (GET) come from projections of "
            + "the event store, eventually consistent, or consistent with a write when they send its Consistency-Token.";

    private final RestClient http;
    private final Settings settings;
    private final JsonMapper json;
    /** This side's own description, as springdoc serves it at {@code /v3/api-docs} (built once, kept). */
    private final OpenApiWebMvcResource ownDescription;

    PublicApiDocs(Settings settings, JsonMapper json, OpenApiWebMvcResource ownDescription) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(settings.timeout()).build());
        requests.setReadTimeout(settings.timeout());
        this.http = RestClient.builder().requestFactory(requests).build();
        this.settings = settings;
        this.json = json;
        this.ownDescription = ownDescription;
    }

    @GetMapping(path = "/v3/api-docs/public", produces = "application/json")
    JsonNode publicApi(HttpServletRequest request, Locale locale) throws JsonProcessingException {
        JsonNode reads = json.readTree(ownDescription.openapiJson(request, API_DOCS, locale));
        JsonNode writes = fetch(settings.commandSide().resolve(API_DOCS));
        return merge(reads, writes);
    }

    private JsonNode fetch(URI description) {
        try {
            return json.readTree(http.get().uri(description).retrieve().body(String.class));
        } catch (RestClientException e) {
            throw new StoreUnavailableException("The API description of " + description.getHost() + ":"
                    + description.getPort() + " is unavailable", e);
        }
    }

    /** One document of both: every path with the operations of both sides, every schema and tag of both. */
    static ObjectNode merge(JsonNode reads, JsonNode writes) {
        ObjectNode merged = (ObjectNode) reads.deepCopy();
        ObjectNode info = merged.putObject("info");
        info.put("title", TITLE);
        info.put("version", reads.path("info").path("version").asString("v1"));
        info.put("description", DESCRIPTION);
        ArrayNode servers = merged.putArray("servers");
        servers.addObject().put("url", "/").put("description", "the gateway this document was loaded from");
        mergeMembers(merged.withObjectProperty("paths"), writes.path("paths"), true);
        ObjectNode components = merged.withObjectProperty("components");
        for (Map.Entry<String, JsonNode> kind : writes.path("components").properties()) {
            mergeMembers(components.withObjectProperty(kind.getKey()), kind.getValue(), false);
        }
        ArrayNode tags = merged.withArrayProperty("tags");
        for (JsonNode tag : writes.path("tags")) {
            boolean known = false;
            for (Iterator<JsonNode> it = tags.iterator(); it.hasNext() && !known; ) {
                known = it.next().path("name").equals(tag.path("name"));
            }
            if (!known) {
                tags.add(tag.deepCopy());
            }
        }
        return merged;
    }

    /** Adds each member of {@code from}; a member both have is merged one level down for paths (their operations). */
    private static void mergeMembers(ObjectNode into, JsonNode from, boolean mergeBoth) {
        for (Map.Entry<String, JsonNode> member : from.properties()) {
            JsonNode existing = into.get(member.getKey());
            if (existing == null) {
                into.set(member.getKey(), member.getValue().deepCopy());
            } else if (mergeBoth && existing instanceof ObjectNode operations) {
                for (Map.Entry<String, JsonNode> operation : member.getValue().properties()) {
                    operations.set(operation.getKey(), operation.getValue().deepCopy());
                }
            }
        }
    }
}
