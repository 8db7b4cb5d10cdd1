package io.chatsystem.query.replay;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** {@code /admin/**} needs the admin credential (HTTP Basic); the public API needs none. */
@Configuration
class AdminSecurity {

    @ConfigurationProperties("chat.admin")
    record AdminCredential(@DefaultValue("admin") String user, @DefaultValue("") String password) {
    }

    private static final Logger log = LoggerFactory.getLogger(AdminSecurity.class);

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * Only a {@link UserDetailsService}, on purpose: were it the {@link InMemoryUserDetailsManager} itself,
     * Spring Security would "upgrade" the configured password to a BCrypt hash at the first login, and
     * every request after it would pay a BCrypt check (tens of CPU-ms: a status poll every 200 ms took a
     * fifth of a core from the projections it watched).
     */
    @Bean
    UserDetailsService admins(AdminCredential credential) {
        String password = credential.password();
        if (password.isBlank()) {
            // nobody can know this one: without a configured credential the admin API stays closed
            password = UUID.randomUUID().toString();
            log.info("Admin endpoints are closed: set chat.admin.password (ADMIN_PASSWORD) to open them");
        }
        InMemoryUserDetailsManager admins = new InMemoryUserDetailsManager(User.withUsername(credential.user())
                .password("{noop}" + password).roles("ADMIN").build());
        return admins::loadUserByUsername;
    }
}
