package io.chatsystem.query.operators;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What protects what. An application's token is a capability: whoever holds it reads and writes that
 * application, and no public endpoint hands one out. Operator endpoints need the operator credential
 * (HTTP Basic, {@code chat.admin}): the admin API ({@code /admin/**}: projections, replays) and the list of
 * every application ({@code GET /api/v1/applications}). Nothing else asks for or checks credentials: an
 * {@code Authorization} header on the public API is ignored, so it costs no password check. Failed logins
 * are limited per client address ({@link FailedLogins}).
 */
@Configuration
class OperatorSecurity {

    /** {@code user} / {@code password}: the operator credential; an empty password keeps the operator endpoints closed. */
    @ConfigurationProperties("chat.admin")
    record OperatorLogin(@DefaultValue("admin") String user, @DefaultValue("") String password,
                         @DefaultValue FailedLogins.Limits failedLogins) {
    }

    static final String ROLE = "OPERATOR";

    /** The operator endpoints. */
    static RequestMatcher operatorEndpoints() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(paths.matcher("/admin/**"), paths.matcher(HttpMethod.GET, "/api/v1/applications"));
    }

    @Bean
    @Order(1)
    SecurityFilterChain operators(HttpSecurity http, OperatorLogin login) throws Exception {
        return http
                .securityMatcher(operatorEndpoints())
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ROLE))
                .httpBasic(basic -> basic.realmName("operators"))
                .addFilterBefore(new FailedLogins(login.failedLogins()), BasicAuthenticationFilter.class)
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** Everything else: open to every caller, and no credential is looked at. */
    @Bean
    @Order(2)
    SecurityFilterChain everyoneElse(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** The only authentication there is: the operator credential, checked in constant time. */
    @Bean
    OperatorCredential operatorCredential(OperatorLogin login) {
        return new OperatorCredential(login.user(), login.password(), ROLE);
    }
}
