package io.chatsystem.axon;

import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * Axon stores some of its own objects with a field typed {@code Object} (the context of a replay
 * token). Jackson 3 refuses such polymorphic fields unless told which types may appear: allow
 * Axon's and this system's types only. Shared by both apps.
 */
@AutoConfiguration
public class AxonSerializationAutoConfiguration {

    @Bean
    Jackson3SerializerCustomizer allowAxonAndOwnTypes() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.")
                .allowIfSubType("io.chatsystem.")
                .allowIfSubType("java.util.")
                .allowIfSubType("java.lang.")
                .build());
    }
}
