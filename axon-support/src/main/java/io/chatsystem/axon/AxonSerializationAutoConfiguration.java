package io.chatsystem.axon;

import java.time.Instant;

import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.module.SimpleModule;

/**
 * The JSON mapper of Axon's serializers, shared by both apps (Axon takes one customizer only). Axon stores
 * some of its own objects with a field typed {@code Object} (the context of a replay token), and Jackson 3
 * refuses such polymorphic fields unless told which types may appear: Axon's and this system's only.
 * Instants, in every event's payload, are read by {@link EventInstantDeserializer}.
 */
@AutoConfiguration
public class AxonSerializationAutoConfiguration {

    @Bean
    Jackson3SerializerCustomizer axonJsonMapper() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                        .allowIfSubType("org.axonframework.")
                        .allowIfSubType("io.chatsystem.")
                        .allowIfSubType("java.util.")
                        .allowIfSubType("java.lang.")
                        .build())
                .addModule(new SimpleModule("event-instants").addDeserializer(Instant.class, new EventInstantDeserializer()));
    }
}
