package io.chatsystem.command.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLNonTransientConnectionException;

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
}
