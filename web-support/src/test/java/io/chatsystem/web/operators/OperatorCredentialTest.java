package io.chatsystem.web.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

class OperatorCredentialTest {

    private final OperatorCredential credential = new OperatorCredential("admin", "secret", "OPERATOR");

    @Test
    void theConfiguredCredentialIsAnOperator() {
        var operator = credential.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("admin", "secret"));

        assertThat(operator.isAuthenticated()).isTrue();
        assertThat(operator.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_OPERATOR");
    }

    @Test
    void anythingElseIsRefused() {
        for (String[] attempt : new String[][] {{"admin", "wrong"}, {"root", "secret"}, {"admin", ""}, {"admin", "secret "}}) {
            assertThatThrownBy(() -> credential.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(attempt[0], attempt[1])))
                    .isInstanceOf(BadCredentialsException.class);
        }
    }

    /** Without a configured password nothing opens the operator endpoints, not even an empty password. */
    @Test
    void anUnconfiguredCredentialOpensNothing() {
        OperatorCredential closed = new OperatorCredential("admin", "", "OPERATOR");

        assertThatThrownBy(() -> closed.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("admin", "")))
                .isInstanceOf(BadCredentialsException.class);
    }
}
