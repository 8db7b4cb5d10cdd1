package io.chatsystem.query.web;

import java.util.Optional;

import io.chatsystem.api.common.Query;
import io.chatsystem.query.NotFoundException;
import io.chatsystem.web.StoreCalls;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * The query gateway, spoken the way the controllers need it. Each query names its own answer type
 * ({@link Query#responseType()}): the same one the wire contract test converts answers with.
 */
@Component
public class Queries {

    private final QueryGateway gateway;
    private final StoreCalls stores;

    Queries(QueryGateway gateway, StoreCalls stores) {
        this.gateway = gateway;
        this.stores = stores;
    }

    /** The answer, or within the store deadline a 503 when a store it needs does not answer. */
    public <R> R ask(Query<R> query) {
        return stores.call(() -> gateway.query(query, query.responseType()).join());
    }

    /** The one thing the query finds, or a 404 with {@code notFoundMessage}. */
    public <T> T one(Query<Optional<T>> query, String notFoundMessage) {
        return ask(query).orElseThrow(() -> new NotFoundException(notFoundMessage));
    }
}
