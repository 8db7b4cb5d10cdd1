package io.chatsystem.query.consistency;

import io.chatsystem.axon.ConsistencyToken;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description names the {@code Consistency-Token} every read accepts, and its answers. */
@Configuration
class ConsistencyTokenDocs {

    private static final String DESCRIPTION = "A write's Consistency-Token: the answer waits until the read models "
            + "this read uses have processed that write (at most chat.reads.consistency-timeout), then shows it.";

    @Bean
    OperationCustomizer consistencyTokenParameters() {
        return (operation, handler) -> {
            operation.addParametersItem(new HeaderParameter().name(ConsistencyToken.HEADER).required(false)
                    .description(DESCRIPTION).schema(new StringSchema()));
            operation.addParametersItem(new QueryParameter().name(ConsistencyToken.PARAMETER).required(false)
                    .description("The same, for clients that cannot set headers (EventSource).")
                    .schema(new StringSchema()));
            operation.getResponses().addApiResponse("400", new ApiResponse()
                    .description("Bad input, or a Consistency-Token this API did not give out (problem+json)"));
            operation.getResponses().addApiResponse("503", new ApiResponse()
                    .description("A store is down, or the read models did not process the Consistency-Token's "
                            + "write in time (problem+json, Retry-After)"));
            return operation;
        };
    }
}
