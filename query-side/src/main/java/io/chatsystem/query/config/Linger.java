package io.chatsystem.query.config;

import java.time.Duration;
import java.util.function.Consumer;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Has a processor pause after committing a batch that did not fill, so that the events arriving
 * meanwhile come together in its next batch. For projections whose readers wait anyway (the search
 * index shows new documents at its next refresh, every second; the counts reach MySQL every few
 * seconds): at a hundred messages a second, a pause of 200 ms turns a hundred bulk requests and
 * transactions a second into five. A processor behind the head (catching up, replaying) fills its
 * batches and never pauses.
 */
public final class Linger implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final String PAUSE_REGISTERED = Linger.class.getName();

    private final Duration pause;
    private final int batchSize;
    private final Consumer<Duration> sleeper;

    /** {@code sleeper}: pauses the processor's thread for at most the duration given. */
    public Linger(Duration pause, int batchSize, Consumer<Duration> sleeper) {
        this.pause = pause;
        this.batchSize = batchSize;
        this.sleeper = sleeper;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        UnitOfWork<?> batch = unitOfWork.root();
        // looked at once per batch (the interceptor runs for each of its events, and the batch's list of
        // events is built anew at every call: a replay's batch of 1 000 would build it 1 000 times)
        batch.getOrComputeResource(PAUSE_REGISTERED, key -> {
            if (batch instanceof BatchingUnitOfWork<?> batching && batching.getMessages().size() < batchSize) {
                // on the processor's thread, after the batch's transaction (and token) committed
                batch.afterCommit(committed -> sleeper.accept(pause));
            }
            return Boolean.TRUE;
        });
        return interceptorChain.proceed();
    }
}
