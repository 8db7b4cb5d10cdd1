package io.chatsystem.axon;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;

class DatabaseTransactionsAutoConfigurationTest {

    private final ApplicationContextRunner apps = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DatabaseTransactionsAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class));

    /** Boot would pick its JdbcTransactionManager, whose failed commit ends as a failed rollback (see the class). */
    @Test
    void anAppWithADatabaseRunsItsTransactionsOnThePlainJdbcTransactionManager() {
        apps.withBean(DataSource.class, SimpleDriverDataSource::new)
                .run(context -> assertThat(context.getBean(PlatformTransactionManager.class))
                        .isExactlyInstanceOf(DataSourceTransactionManager.class));
    }

    /** The command side over Axon Server has no database, and so no transactions. */
    @Test
    void anAppWithoutADatabaseHasNoTransactionManager() {
        apps.run(context -> assertThat(context).doesNotHaveBean(PlatformTransactionManager.class));
    }
}
