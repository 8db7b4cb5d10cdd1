package io.chatsystem.axon;

import java.time.Instant;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;

/**
 * The instants of events, commands and queries as Axon's serializers read them: the usual
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} by {@link EventTimestamps}, anything else by Jackson's own.
 */
final class EventInstantDeserializer extends ValueDeserializer<Instant> {

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant instant = EventTimestamps.parseUtc(parser.getString());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
}
