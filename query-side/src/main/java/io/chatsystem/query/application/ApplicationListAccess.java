package io.chatsystem.query.application;

import java.util.List;

import io.chatsystem.web.operators.OperatorEndpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/** The list of every application hands out every token: it is for operators only. */
@Configuration
class ApplicationListAccess {

    @Bean
    OperatorEndpoints applicationList() {
        return new OperatorEndpoints(List.of(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/api/v1/applications")));
    }
}
