package io.chatsystem.query.config;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryMessage;

/**
 * Axon's transaction manager for the query side, except that query handlers run without one. Axon
 * builds its query bus with the application's transaction manager, so every query handler ran in a
 * database transaction: for a lookup, a begin, a commit and two auto-commit switches around one
 * SELECT; for a search, which reads only Elasticsearch, a pooled connection taken for nothing. Every
 * handler here is a single read, which needs no transaction. Projection batches, token claims and
 * event store reads keep theirs.
 */
final class QueriesWithoutTransaction implements TransactionManager {

    private final TransactionManager delegate;

    QueriesWithoutTransaction(TransactionManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public Transaction startTransaction() {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof QueryMessage) {
            return NoTransactionManager.INSTANCE.startTransaction();
        }
        return delegate.startTransaction();
    }
}
