package io.chatsystem.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * What both apps hold every request and answer to: the security headers on every answer
 * ({@link SecurityHeadersFilter}), a bounded body ({@link RequestBodyLimit}), and numbers of ASCII digits
 * only ({@link AsciiNumbers}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebHardeningAutoConfiguration.RequestLimits.class)
public class WebHardeningAutoConfiguration {

    /** {@code maxBody}: the largest request body accepted, the same as the gateways'. */
    @ConfigurationProperties("chat.web.requests")
    record RequestLimits(@DefaultValue("1MB") DataSize maxBody) {
    }

    /** First of all filters, so that the answers other filters write carry the headers too. */
    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        FilterRegistrationBean<SecurityHeadersFilter> registration = new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Right after the headers filter: a body too large is refused before anything reads it. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(RequestLimits limits) {
        FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(
                new RequestBodyLimit(limits.maxBody().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    AsciiNumbers asciiNumbers() {
        return new AsciiNumbers();
    }
}
