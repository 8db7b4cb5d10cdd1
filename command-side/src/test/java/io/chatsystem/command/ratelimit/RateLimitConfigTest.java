package io.chatsystem.command.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The filter as the command side registers it. */
class RateLimitConfigTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RateLimits.class)
    static class Properties {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, RateLimitConfig.class);

    @Test
    void onTheApiRightAfterTheSecurityHeadersAndTheTokenCheck() {
        context.run(started -> {
            FilterRegistrationBean<?> registration = started.getBean(FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(RateLimitFilter.class);
            assertThat(registration.getUrlPatterns()).containsExactly("/api/v1/*");
            // web-support: SecurityHeadersFilter first of all, TokenFormFilter and RequestBodyLimit next
            assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 2);
        });
    }

    @Test
    void aLimitThatCannotWorkStopsTheStart() {
        context.withPropertyValues("chat.writes.rate-limits.per-application.burst=0").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("chat.writes.rate-limits.per-application.burst must be at least 1"));
    }
}
