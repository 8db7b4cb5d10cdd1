package io.chatsystem.web;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code db} health check on a connection of its own ({@link DatabaseHealthIndicator}), in place of
 * Spring Boot's, which borrows one from the pool. Only where the application has a DataSource.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(type = "javax.sql.DataSource")
public class DatabaseHealthAutoConfiguration {

    /** Its connection goes with the process: the indicator is wrapped by the health time limit, which has no close. */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(Environment environment) {
        return new DatabaseHealthIndicator(environment.getRequiredProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"),
                environment.getProperty(HealthTimeLimitAutoConfiguration.TIMEOUT_PROPERTY, Duration.class,
                        Duration.ofSeconds(1)));
    }
}
