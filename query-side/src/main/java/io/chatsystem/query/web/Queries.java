package io.chatsystem.query.web;

import java.util.List;
import java.util.Optional;

import io.chatsystem.query.NotFoundException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/** The query gateway, spoken the way the controllers need it: one answer or a 404, or a list. */
@Component
public class Queries {

    private final QueryGateway gateway;

    Queries(QueryGateway gateway) {
        this.gateway = gateway;
    }

    public <T> T one(Object query, Class<T> type, String notFoundMessage) {
        Optional<T> answer = gateway.query(query, ResponseTypes.optionalInstanceOf(type)).join();
        return answer.orElseThrow(() -> new NotFoundException(notFoundMessage));
    }

    public <T> List<T> list(Object query, Class<T> type) {
        return gateway.query(query, ResponseTypes.multipleInstancesOf(type)).join();
    }
}
