package io.chatsystem.command.ratelimit;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The write rate limits in front of the API ({@link RateLimitFilter}, {@code chat.writes.rate-limits}). */
@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

    /**
     * After the security headers (web-support's first filter, so a 429 carries them) and the check of a path's
     * token ({@code TokenFormFilter}, so a token that cannot be one takes no bucket), before anything reads a
     * body: a refused write costs no parsing.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimits limits) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limits, System::nanoTime,
                        sweep -> Thread.ofVirtual().name("rate-limit-sweep").start(sweep)));
        registration.addUrlPatterns("/api/v1/*");
        registration.setOrder(ORDER);
        return registration;
    }
}
