package io.chatsystem.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

/** Driven as a tracking processor drives its interceptors: one chain per event of the batch's unit of work. */
class LingerTest {

    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final int BATCH_SIZE = 10;

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final Linger linger = new Linger(PAUSE, BATCH_SIZE, pauses::add);
    /** How often the batch's list of events was asked for. */
    private final AtomicInteger batchesListed = new AtomicInteger();

    @Test
    void aBatchThatDidNotFillPausesOnceAfterItCommitted() throws Exception {
        List<Duration> seenWhileHandling = new CopyOnWriteArrayList<>();
        process(3, event -> seenWhileHandling.addAll(pauses));
        assertThat(seenWhileHandling).as("no pause before the batch commits").isEmpty();
        assertThat(pauses).containsExactly(PAUSE);
    }

    @Test
    void aFullBatchGoesOnAtOnce() throws Exception {
        process(BATCH_SIZE, event -> { });
        assertThat(pauses).isEmpty();
    }

    @Test
    void aBatchThatFailedDoesNotPause() {
        assertThatThrownBy(() -> process(3, event -> {
            throw new IllegalStateException("store down");
        })).hasMessageContaining("store down");
        assertThat(pauses).isEmpty();
    }

    /** Axon builds the batch's list of events anew at every call: once per event would be quadratic in a replay. */
    @Test
    void aBatchIsSizedOnceNotForEachOfItsEvents() throws Exception {
        process(BATCH_SIZE - 1, event -> { });
        assertThat(batchesListed.get()).isEqualTo(1);
    }

    private void process(int events, Consumer<EventMessage<?>> handler) throws Exception {
        List<EventMessage<?>> batch = IntStream.range(0, events)
                .<EventMessage<?>>mapToObj(GenericEventMessage::asEventMessage).toList();
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch) {
            @Override
            public List<? extends EventMessage<?>> getMessages() {
                batchesListed.incrementAndGet();
                return super.getMessages();
            }
        };
        var result = unitOfWork.executeWithResult(() -> new DefaultInterceptorChain<>(unitOfWork, List.of(linger),
                (EventMessage<?> event) -> {
                    handler.accept(event);
                    return null;
                }).proceed());
        if (result.isExceptional()) {
            throw (Exception) result.exceptionResult();
        }
    }
}
