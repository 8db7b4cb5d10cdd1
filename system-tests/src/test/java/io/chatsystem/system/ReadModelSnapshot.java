package io.chatsystem.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

import static io.chatsystem.system.Api.messagesPath;

/** Every answer of the read API for all applications, chats and messages, including a search per chat. */
final class ReadModelSnapshot {

    private ReadModelSnapshot() {
    }

    static String of(Api api, String searchWord, String... skipNames) {
        StringBuilder out = new StringBuilder();
        for (JsonNode app : api.asOperator(SystemUnderTest.ADMIN_PASSWORD).getAll("/api/v1/applications", 500)) {
            if (java.util.Arrays.asList(skipNames).contains(app.get("name").asString())) {
                continue;
            }
            String token = app.get("token").asString();
            out.append(app).append('\n');
            out.append(api.getJson("/api/v1/applications/" + token)).append('\n');
            for (JsonNode chat : api.getAll("/api/v1/applications/" + token + "/chats", 500)) {
                out.append(chat).append('\n');
                int number = chat.get("number").asInt();
                api.getAll(messagesPath(token, number), 500).forEach(m -> out.append(m).append('\n'));
                if (searchWord != null) {
                    out.append("search: ").append(api.getJson(messagesPath(token, number) + "/search?size=100&q="
                            + URLEncoder.encode(searchWord, StandardCharsets.UTF_8))).append('\n');
                }
            }
        }
        return out.toString();
    }
}
