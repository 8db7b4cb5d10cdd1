package io.chatsystem.command;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@OpenAPIDefinition(info = @Info(title = "Chat system: writes (command side)", version = "v1",
        description = "Creates applications, chats and messages. Every write is a command to an Axon aggregate, which numbers it and stores the event. Answers 201 once the event is stored; reads come from the query side."))
@ConfigurationPropertiesScan
public class CommandSideApplication {

    public static void main(String[] args) {
        // Axon's notice of its commercial console, a dozen lines at every start
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
