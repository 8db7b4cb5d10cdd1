package io.chatsystem.query.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The admin credential as Spring Security's own authentication configuration wires it: logging in
 * leaves the configured password as it is, so no request pays for a password hash.
 */
class AdminCredentialTest {

    @Test
    void loggingInDoesNotRehashThePassword() throws Exception {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(UserDetailsService.class,
                    () -> new AdminSecurity().admins(new AdminSecurity.AdminCredential("admin", "secret")));
            context.register(AuthenticationConfiguration.class);
            context.refresh();
            AuthenticationManager authentication = context.getBean(AuthenticationConfiguration.class)
                    .getAuthenticationManager();

            for (int login = 0; login < 3; login++) {
                assertThat(authentication.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("admin", "secret"))
                        .isAuthenticated()).isTrue();
            }
            assertThatThrownBy(() -> authentication.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("admin", "wrong")))
                    .isInstanceOf(BadCredentialsException.class);
            // a password "upgraded" at the first login would be a {bcrypt} hash here: every later request a BCrypt check
            assertThat(context.getBean(UserDetailsService.class).loadUserByUsername("admin").getPassword())
                    .isEqualTo("{noop}secret");
        }
    }
}
