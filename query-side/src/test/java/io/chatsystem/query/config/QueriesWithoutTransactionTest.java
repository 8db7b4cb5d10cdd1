package io.chatsystem.query.config;

import java.util.concurrent.atomic.AtomicInteger;

import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.api.message.MessageSent;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.queryhandling.GenericQueryMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueriesWithoutTransactionTest {

    private final AtomicInteger started = new AtomicInteger();
    private final TransactionManager transactions = new QueriesWithoutTransaction(() -> {
        started.incrementAndGet();
        return new Transaction() {
            @Override
            public void commit() {
            }

            @Override
            public void rollback() {
            }
        };
    });

    @Test
    void aQueryHandlerRunsWithoutATransaction() {
        inUnitOfWorkOf(new GenericQueryMessage<>(new FindChatQuery("token", 1), ResponseTypes.instanceOf(Object.class)));

        assertThat(started).hasValue(0);
    }

    @Test
    void aProjectionBatchAndWorkOutsideAnyMessageKeepTheirTransaction() {
        inUnitOfWorkOf(GenericEventMessage.asEventMessage(new MessageSent("token", 1, 1, "hi", java.time.Instant.now())));
        transactions.startTransaction().commit();

        assertThat(started).hasValue(2);
    }

    private void inUnitOfWorkOf(Message<?> message) {
        DefaultUnitOfWork.startAndGet(message).execute(() -> transactions.startTransaction().commit());
    }
}
