package io.chatsystem.command.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import javax.sql.DataSource;

import io.chatsystem.axon.DatabaseTransactionsAutoConfiguration;
import io.chatsystem.web.StoreCalls;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

class FailureKeepingTransactionsTest {

    /** Transactions on a connection that broke: the rollback fails as well. */
    private final TransactionManager broken = () -> new Transaction() {
        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
            throw new IllegalStateException("Unable to rollback against JDBC Connection: Connection is closed");
        }
    };

    @Test
    void theFailureThatCausedARollbackReachesTheCallerWhenTheRollbackFailsToo() {
        TransactionManager transactions = new FailureKeepingTransactions(broken);
        assertThatThrownBy(() -> transactions.fetchInTransaction(() -> {
            throw new IllegalArgumentException("read failed", new SQLNonTransientConnectionException("Communications link failure"));
        })).isInstanceOf(IllegalArgumentException.class).hasRootCauseInstanceOf(SQLNonTransientConnectionException.class);
    }

    /** The database died during a commit: the commit fails on the lost link, then so does any rollback. */
    @Test
    void aCommitThatFailsOnABrokenConnectionIsReportedAsTheOutageItIs() {
        Connection broken = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "commit" -> throw new SQLNonTransientConnectionException("Communications link failure", "08S01");
                    case "rollback" -> throw new SQLException("Connection is closed");
                    case "getAutoCommit" -> true;
                    default -> nothing(method);
                });
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) ->
                        method.getName().equals("getConnection") ? broken : nothing(method));
        TransactionManager transactions = new FailureKeepingTransactions(
                new SpringTransactionManager(DatabaseTransactionsAutoConfiguration.transactionManager(dataSource)));

        assertThatThrownBy(() -> transactions.executeInTransaction(() -> {
        })).satisfies(failure -> assertThat(StoreCalls.isOutage(failure)).as("an outage: %s", failure).isTrue());
    }

    private static Object nothing(java.lang.reflect.Method method) {
        Class<?> type = method.getReturnType();
        return type == boolean.class ? Boolean.FALSE : type == int.class ? Integer.valueOf(0) : null;
    }
}
