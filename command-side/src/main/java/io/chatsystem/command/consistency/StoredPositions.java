package io.chatsystem.command.consistency;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Where the events of the commands this instance sends were stored, while their senders wait for the
 * answer: the event table's append reports each command's highest global index here (by the command
 * message's identifier, which stays the same through retries), and the sender takes it with the answer.
 * Only commands whose sender asked are kept, and only until it takes them.
 */
@Component
public class StoredPositions {

    private static final long NONE = -1;

    private final ConcurrentMap<String, AtomicLong> awaited = new ConcurrentHashMap<>();

    /** Before the command is sent: its events' position is to be kept. */
    void await(String commandIdentifier) {
        awaited.put(commandIdentifier, new AtomicLong(NONE));
    }

    /** After the answer: the highest global index its events were stored at, or null if none were stored here. */
    Long take(String commandIdentifier) {
        AtomicLong position = awaited.remove(commandIdentifier);
        return position == null || position.get() == NONE ? null : position.get();
    }

    /** From the append of the command the current unit of work handles: its events are stored up to {@code globalIndex}. */
    public void stored(long globalIndex) {
        CurrentUnitOfWork.ifStarted(unitOfWork -> {
            AtomicLong position = awaited.get(unitOfWork.root().getMessage().getIdentifier());
            if (position != null) {
                position.accumulateAndGet(globalIndex, Math::max);
            }
        });
    }
}
