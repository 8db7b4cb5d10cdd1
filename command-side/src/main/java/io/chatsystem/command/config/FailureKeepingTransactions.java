package io.chatsystem.command.config;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's transactions, except that a rollback which fails does not replace the failure that caused
 * it. When the database dies under a read or an append, the rollback fails too (the connection is
 * closed), and Axon would throw that rollback failure instead: a "could not roll back" that says
 * nothing of an outage, so the request answered 500 instead of 503. The database itself discards the
 * transaction of a connection that broke, so there is nothing left to undo.
 */
final class FailureKeepingTransactions implements TransactionManager {

    private static final Logger log = LoggerFactory.getLogger(FailureKeepingTransactions.class);

    private final TransactionManager transactions;

    FailureKeepingTransactions(TransactionManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = transactions.startTransaction();
        return new Transaction() {
            @Override
            public void commit() {
                transaction.commit();
            }

            @Override
            public void rollback() {
                try {
                    transaction.rollback();
                } catch (RuntimeException rollbackFailed) {
                    log.debug("A rollback failed; the failure that caused it goes on", rollbackFailed);
                }
            }
        };
    }
}
