package io.chatsystem.command.application;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

/** Tokens are 128 random bits, URL-safe: unguessable, and safe to put in a path. */
@Component
public class ApplicationTokens {

    private static final int TOKEN_BYTES = 16;

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
