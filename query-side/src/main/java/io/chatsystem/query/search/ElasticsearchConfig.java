package io.chatsystem.query.search;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The official Elasticsearch client (Spring Boot's auto-configuration for it does not resolve here). With a
 * password ({@code chat.search.password}, {@code ELASTICSEARCH_PASSWORD}) every request authenticates as
 * {@code chat.search.username} (HTTP Basic); without one, none does.
 */
@Configuration
class ElasticsearchConfig {

    @Bean(destroyMethod = "close")
    Rest5Client elasticsearchRestClient(SearchSettings settings,
                                        @Value("${chat.search.username:elastic}") String username,
                                        @Value("${chat.search.password:}") String password) {
        URI uri = URI.create(settings.uri());
        Rest5ClientBuilder builder = Rest5Client.builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                .setRequestConfigCallback(config -> config
                        .setConnectionRequestTimeout(org.apache.hc.core5.util.Timeout.of(settings.connectTimeout()))
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.of(settings.responseTimeout())));
        Header credentials = credentials(username, password);
        if (credentials != null) {
            builder.setDefaultHeaders(new Header[] {credentials});
        }
        return builder.build();
    }

    /** The {@code Authorization} header of every request, or null without a password. */
    static Header credentials(String username, String password) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        if (username == null || username.isBlank()) {
            throw new IllegalStateException("chat.search.password is set but chat.search.username is empty");
        }
        return new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Bean
    ElasticsearchClient elasticsearchClient(Rest5Client elasticsearchRestClient) {
        return new ElasticsearchClient(new WholeRequestBodies(elasticsearchRestClient, new Jackson3JsonpMapper()));
    }
}
