package io.chatsystem.web.operators;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The operator credential, compared in constant time: the user name and the password are each hashed
 * and compared with {@link MessageDigest#isEqual}, so a guess takes the same time whichever name it
 * tries and however much of the password it gets right, and no guess costs a password hash (Spring's
 * own check runs BCrypt for an unknown user name, tens of CPU-milliseconds, so a few clients guessing
 * could saturate the query side). The configured password is a secret of the deployment, not a
 * stored user password, so it needs no slow hash.
 */
final class OperatorCredential implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(OperatorCredential.class);

    private final byte[] user;
    private final byte[] password;
    private final boolean configured;
    private final String role;

    OperatorCredential(String user, String password, String role) {
        this.user = digest(user);
        this.password = digest(password);
        this.configured = !password.isBlank();
        this.role = role;
        if (!configured) {
            log.info("Operator endpoints are closed: set chat.admin.password (ADMIN_PASSWORD) to open them");
        }
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        boolean userMatches = MessageDigest.isEqual(digest(attempt.getName()), user);
        boolean passwordMatches = MessageDigest.isEqual(digest(String.valueOf(attempt.getCredentials())), password);
        if (configured & userMatches & passwordMatches) {
            return UsernamePasswordAuthenticationToken.authenticated(attempt.getName(), null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + role)));
        }
        throw new BadCredentialsException("Bad credentials");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
