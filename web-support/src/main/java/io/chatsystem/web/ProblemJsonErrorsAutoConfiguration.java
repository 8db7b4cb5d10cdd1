package io.chatsystem.web;

import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Tomcat reports the errors it answers itself, and those filters answer with {@code sendError}, as problem+json
 * ({@link ProblemJsonErrorReportValve}); a token
 * that cannot be one is a 404 before any store is asked ({@link TokenFormFilter}).
 */
@AutoConfiguration
@ConditionalOnClass(StandardHost.class)
public class ProblemJsonErrorsAutoConfiguration {

    @Bean
    FilterRegistrationBean<TokenFormFilter> tokenFormFilter() {
        FilterRegistrationBean<TokenFormFilter> registration = new FilterRegistrationBean<>(new TokenFormFilter());
        registration.addUrlPatterns("/api/v1/applications/*");
        // right after the security headers (WebHardeningAutoConfiguration), which its 404 carries too
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemJsonErrorReportValve.class.getName());
            }
            // an error a filter answers with sendError (Spring Security's 401, its firewall's 400) goes to the
            // valve too, instead of Spring Boot's error page, whose body is plain JSON
            for (ErrorPage page : context.findErrorPages()) {
                context.removeErrorPage(page);
            }
        });
    }
}
