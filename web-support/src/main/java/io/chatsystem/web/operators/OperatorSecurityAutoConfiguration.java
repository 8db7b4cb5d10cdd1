package io.chatsystem.web.operators;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What protects what, in both apps. An application's token is a capability: whoever holds it reads and
 * writes that application, and no public endpoint hands one out. Operator endpoints need the operator
 * credential (HTTP Basic, {@code chat.admin}): the admin API ({@code /admin/**}), actuator beyond the health
 * status (health details, metrics, Prometheus, info) and an app's own {@link OperatorEndpoints} (the query
 * side's list of every application). Health answers its status to anyone and its details to an operator
 * ({@code show-details: when-authorized}). Nothing else asks for or checks credentials: an
 * {@code Authorization} header on the public API is ignored, so it costs no password check: no filter chain
 * matches it, so Spring Security only passes it on (a chain of its own, even one that permits all, ran a dozen
 * filters on every send, 7 % of the command side's CPU over Axon Server). Failed logins are limited per client
 * address ({@link FailedLogins}).
 *
 * <p>Before Spring Boot's own web security, which would otherwise add a default chain that asks every
 * request for a generated user's password.
 */
@AutoConfiguration(before = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(OperatorSecurityAutoConfiguration.OperatorLogin.class)
public class OperatorSecurityAutoConfiguration {

    /** {@code user} / {@code password}: the operator credential; an empty password keeps the operator endpoints closed. */
    @ConfigurationProperties("chat.admin")
    public record OperatorLogin(@DefaultValue("admin") String user, @DefaultValue("") String password,
                                @DefaultValue FailedLogins.Limits failedLogins) {
    }

    /** One count of failed logins per address for both chains that take the credential. */
    private final FailedLogins failedLogins;

    OperatorSecurityAutoConfiguration(OperatorLogin login) {
        this.failedLogins = new FailedLogins(login.failedLogins());
    }

    /** The role health's {@code show-details: when-authorized} asks for ({@code management.endpoint.health.roles}). */
    static final String ROLE = "OPERATOR";

    /** Health's status and probes: anyone; with the operator credential, the details too. */
    static RequestMatcher health() {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(paths.matcher("/actuator/health"), paths.matcher("/actuator/health/**"));
    }

    /** The operator endpoints. */
    static RequestMatcher operatorEndpoints(List<RequestMatcher> ownEndpoints) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        List<RequestMatcher> matchers = new ArrayList<>(List.of(paths.matcher("/admin/**"), paths.matcher("/actuator/**")));
        matchers.addAll(ownEndpoints);
        return new OrRequestMatcher(matchers);
    }

    @Bean
    @Order(1)
    SecurityFilterChain healthForEveryone(HttpSecurity http) throws Exception {
        return withOperatorLogin(http.securityMatcher(health()))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain operators(HttpSecurity http, ObjectProvider<OperatorEndpoints> own) throws Exception {
        List<RequestMatcher> ownEndpoints = own.stream().flatMap(endpoints -> endpoints.matchers().stream()).toList();
        return withOperatorLogin(http.securityMatcher(operatorEndpoints(ownEndpoints)))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ROLE))
                .build();
    }

    /** The only authentication there is: the operator credential, checked in constant time. */
    @Bean
    OperatorCredential operatorCredential(OperatorLogin login) {
        return new OperatorCredential(login.user(), login.password(), ROLE);
    }

    private HttpSecurity withOperatorLogin(HttpSecurity http) throws Exception {
        return stateless(http)
                .httpBasic(basic -> basic.realmName("operators"))
                .addFilterBefore(failedLogins, BasicAuthenticationFilter.class);
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }
}
