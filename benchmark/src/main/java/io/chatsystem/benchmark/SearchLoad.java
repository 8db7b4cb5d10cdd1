package io.chatsystem.benchmark;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/** Fills one chat with messages of random words and measures searching it. */
final class SearchLoad {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzéèàü";

    private final List<String> vocabulary = new ArrayList<>();

    SearchLoad(int words) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < words; i++) {
            StringBuilder word = new StringBuilder();
            int length = 3 + random.nextInt(8);
            for (int c = 0; c < length; c++) {
                word.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
            }
            vocabulary.add(word.toString());
        }
    }

    String sentence(int words) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            out.append(i == 0 ? "" : " ").append(vocabulary.get(random.nextInt(vocabulary.size())));
        }
        return out.toString();
    }

    /** A part of a vocabulary word, 3 to 5 characters long. */
    String queryFragment() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String word = vocabulary.get(random.nextInt(vocabulary.size()));
        int length = Math.min(word.length(), 3 + random.nextInt(3));
        int start = random.nextInt(word.length() - length + 1);
        return word.substring(start, start + length);
    }

    /** Documents of one chat in the index, asked of Elasticsearch directly (as {@code authorization}). */
    static long indexed(String elasticsearchUrl, String authorization, String token, int chat) throws Exception {
        String body = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"application_token\":\"" + token
                + "\"}},{\"term\":{\"chat_number\":" + chat + "}}]}}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/messages/_count"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return 0;
        }
        return JsonMapper.builder().build().readTree(response.body()).get("count").asLong();
    }

    static String searchPath(String token, int chat, String text) {
        return Client.messages(token, chat) + "/search?size=20&q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static Histogram histogram() {
        return Figures.histogram();
    }
}
