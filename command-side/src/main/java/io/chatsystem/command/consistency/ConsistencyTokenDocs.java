package io.chatsystem.command.consistency;

import io.chatsystem.axon.ConsistencyToken;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description names the {@code Consistency-Token} header of every write's successful answer. */
@Configuration
class ConsistencyTokenDocs {

    static final String DESCRIPTION = "The write's position in the event store. Send it back on a GET (header "
            + ConsistencyToken.HEADER + ", or query parameter " + ConsistencyToken.PARAMETER
            + ") to read this write and every earlier one.";

    @Bean
    OperationCustomizer consistencyTokenHeader() {
        return (operation, handler) -> {
            if (operation.getResponses() != null) {
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2")) {
                        response.addHeaderObject(ConsistencyToken.HEADER,
                                new Header().description(DESCRIPTION).schema(new StringSchema()));
                    }
                });
            }
            return operation;
        };
    }
}
