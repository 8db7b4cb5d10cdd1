package io.chatsystem.query;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "Chat system: reads (query side)", version = "v1",
        description = "Applications, chats, messages, counts, search and the audit history, read from projections of the event store (eventually consistent with the writes)."))
@ConfigurationPropertiesScan
public class QuerySideApplication {

    public static void main(String[] args) {
        // Axon's notice of its commercial console, a dozen lines at every start
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
