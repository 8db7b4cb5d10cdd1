package io.chatsystem.command.application;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chatsystem.api.application.ApplicationToken;
import io.chatsystem.command.idempotency.IdempotencyKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Tokens are 128 bits, URL-safe: unguessable, and safe to put in a path. Random, or, for a creation
 * with an Idempotency-Key, an HMAC of the key under a server secret ({@link TokenSecret}: configured, or
 * generated once in a file), so that a repeat of the creation names the same application while nobody
 * without the secret can derive a token from a key.
 */
@Component
public class ApplicationTokens {

    private static final int TOKEN_BYTES = ApplicationToken.BYTES;
    private static final String HMAC = "HmacSHA256";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec secret;

    @Autowired
    ApplicationTokens(@Value("${chat.idempotency.token-secret:}") String secret,
                      @Value("${chat.idempotency.token-secret-file:}") String secretFile) {
        this(TokenSecret.resolve(secret, secretFile));
    }

    ApplicationTokens(String secret) {
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    public String forKey(IdempotencyKey key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(secret);
            byte[] digest = mac.doFinal(key.value().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String next() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
