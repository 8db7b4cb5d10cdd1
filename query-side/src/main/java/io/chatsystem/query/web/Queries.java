package io.chatsystem.query.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.chatsystem.api.common.Query;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
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

    /**
     * All the messages {@code query} finds: a list longer than one answer may carry (see
     * {@link MessageList#more()}) comes in several, and {@code rest} is the query for what follows the
     * messages received so far.
     */
    public List<MessageView> messages(Query<MessageList> query, Function<List<MessageView>, Query<MessageList>> rest) {
        MessageList answer = ask(query);
        if (!answer.more()) {
            return answer.messages();
        }
        List<MessageView> messages = new ArrayList<>(answer.messages());
        while (answer.more()) {
            answer = ask(rest.apply(messages));
            messages.addAll(answer.messages());
        }
        return messages;
    }

    /** The one thing the query finds, or a 404 with {@code notFoundMessage}. */
    public <T> T one(Query<Optional<T>> query, String notFoundMessage) {
        return ask(query).orElseThrow(() -> new NotFoundException(notFoundMessage));
    }
}
