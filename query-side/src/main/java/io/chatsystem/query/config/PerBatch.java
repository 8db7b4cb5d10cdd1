package io.chatsystem.query.config;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * State shared by the handlers of one processor batch (a tracking processor handles a batch of
 * events in one unit of work), written out once just before the batch commits.
 */
public final class PerBatch {

    private PerBatch() {
    }

    /**
     * The batch's object under {@code key}, created on first use; {@code beforeCommit} receives it
     * once, in the batch's transaction, before the processor's token is committed with it.
     */
    public static <T> T resource(String key, Supplier<T> create, Consumer<T> beforeCommit) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(key, k -> {
            T resource = create.get();
            unitOfWork.onPrepareCommit(u -> beforeCommit.accept(resource));
            return resource;
        });
    }
}
