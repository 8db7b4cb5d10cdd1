package io.chatsystem.query.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientHttpClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

/**
 * The official client's transport, each request's body sent as one buffer. The client hands a bulk request to
 * its HTTP layer as a buffer per line and per line break, and that sends each buffer as an HTTP chunk of its
 * own: four chunks of a few dozen bytes per message, which both this side and Elasticsearch handled one by one
 * (the HTTP client's I/O thread took 1.3 CPU-s of a replay of all projections, 150 101 events).
 */
final class WholeRequestBodies extends ElasticsearchTransportBase {

    WholeRequestBodies(Rest5Client client, JsonpMapper mapper) {
        this(new OneBuffer(new Rest5ClientHttpClient(client)), null, mapper);
    }

    private WholeRequestBodies(TransportHttpClient http, TransportOptions options, JsonpMapper mapper) {
        super(http, options, mapper);
    }

    @Override
    public WholeRequestBodies withOptions(TransportOptions options) {
        return new WholeRequestBodies(httpClient, options, mapper);
    }

    /** The request with its body in one buffer; as it is when it has none or one already. */
    static TransportHttpClient.Request whole(TransportHttpClient.Request request) {
        Iterable<ByteBuffer> body = request.body();
        if (body == null) {
            return request;
        }
        int size = 0;
        int buffers = 0;
        for (ByteBuffer buffer : body) {
            size += buffer.remaining();
            buffers++;
        }
        if (buffers <= 1) {
            return request;
        }
        ByteBuffer whole = ByteBuffer.allocate(size);
        for (ByteBuffer buffer : body) {
            whole.put(buffer.duplicate());
        }
        return new TransportHttpClient.Request(request.method(), request.path(), request.queryParams(),
                request.headers(), List.of(whole.flip()));
    }

    private record OneBuffer(TransportHttpClient http) implements TransportHttpClient {

        @Override
        public TransportOptions createOptions(TransportOptions options) {
            return http.createOptions(options);
        }

        @Override
        public Response performRequest(String endpointId, Node node, Request request, TransportOptions options)
                throws IOException {
            return http.performRequest(endpointId, node, whole(request), options);
        }

        @Override
        public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request,
                                                               TransportOptions options) {
            return http.performRequestAsync(endpointId, node, whole(request), options);
        }

        @Override
        public void close() throws IOException {
            http.close();
        }
    }
}
