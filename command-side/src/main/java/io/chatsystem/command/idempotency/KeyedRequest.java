package io.chatsystem.command.idempotency;

import org.axonframework.messaging.MetaData;

/** A command with the Idempotency-Key it came with (or none), and its fingerprint. */
public record KeyedRequest(IdempotencyKey key, String fingerprint) {

    /** {@code key}: the command's {@link IdempotencyKey#KEY} metadata, or null. */
    public static KeyedRequest of(String key, Object command) {
        return new KeyedRequest(IdempotencyKey.of(key), IdempotencyKey.fingerprint(command));
    }

    /** The metadata of the event this request produces: its key and fingerprint, when it has a key. */
    public MetaData eventMetaData() {
        return IdempotencyKey.eventMetaData(key, fingerprint);
    }
}
