package io.chatsystem.query.search;

import java.net.URI;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import org.apache.hc.core5.http.HttpHost;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The official Elasticsearch client (Spring Boot's auto-configuration for it does not resolve here). */
@Configuration
class ElasticsearchConfig {

    @Bean(destroyMethod = "close")
    Rest5Client elasticsearchRestClient(SearchSettings settings) {
        URI uri = URI.create(settings.uri());
        return Rest5Client.builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                .setRequestConfigCallback(config -> config
                        .setConnectionRequestTimeout(org.apache.hc.core5.util.Timeout.of(settings.connectTimeout()))
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.of(settings.responseTimeout())))
                .build();
    }

    @Bean
    ElasticsearchClient elasticsearchClient(Rest5Client elasticsearchRestClient) {
        return new ElasticsearchClient(new WholeRequestBodies(elasticsearchRestClient, new Jackson3JsonpMapper()));
    }
}
