package io.chatsystem.axon;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionManager;

/**
 * Both apps' database transactions (event table appends and reads, projection batches, tokens) run on
 * Spring's plain {@link DataSourceTransactionManager}, in place of Boot's default JdbcTransactionManager.
 * That one turns a failed commit into a DataAccessException, which Spring answers with a rollback on the
 * connection that just broke; the rollback fails too, and its "rollback failed" replaces the commit's
 * "communications link failure": a database killed during a commit answered 500 instead of 503. This one
 * reports the failed commit itself.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
public class DatabaseTransactionsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(TransactionManager.class)
    public static DataSourceTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }
}
