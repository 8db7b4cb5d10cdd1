package io.chatsystem.command.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.axonframework.messaging.MetaData;

/**
 * The {@code Idempotency-Key} of a request (IETF draft "The Idempotency-Key HTTP Header Field"): 1 to
 * 255 visible ASCII characters. It travels with the command, and then with its event, as metadata.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    /** Metadata names: the key, and the fingerprint of the request that used it. */
    public static final String KEY = "idempotencyKey";
    public static final String FINGERPRINT = "requestFingerprint";

    private static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("Idempotency-Key must be 1 to " + MAX_LENGTH
                    + " visible ASCII characters");
        }
    }

    /** The key from a header value, or null when there is none. */
    public static IdempotencyKey of(String header) {
        return header == null ? null : new IdempotencyKey(header);
    }

    public MetaData asMetaData() {
        return MetaData.with(KEY, value);
    }

    /** The metadata of an event produced by a request with this key (none without a key). */
    public static MetaData eventMetaData(IdempotencyKey key, String fingerprint) {
        return key == null ? MetaData.emptyInstance() : MetaData.from(Map.of(KEY, key.value(), FINGERPRINT, fingerprint));
    }

    /** What identifies a request: a digest of its command (records print every component). */
    public static String fingerprint(Object command) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(command.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
