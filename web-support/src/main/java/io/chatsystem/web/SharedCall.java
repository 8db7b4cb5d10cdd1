package io.chatsystem.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A call to a store whose answer any caller may share as long as the call began after it asked: the
 * head of the event store read after a write was stored, a search index refreshed after a document was
 * indexed. Callers that ask while a call is under way wait for the next one, which serves them all, so
 * concurrent callers cost one round trip at a time instead of one each.
 */
public final class SharedCall<T> {

    private final Supplier<T> call;
    private final ExecutorService caller;
    /** What the callers waiting for a call that has not begun yet get. Guarded by this. */
    private CompletableFuture<T> next;
    private boolean calling;

    public SharedCall(String name, Supplier<T> call) {
        this.call = call;
        this.caller = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }

    /** The answer of a call begun after this one asked. */
    public synchronized CompletableFuture<T> afterNow() {
        if (next == null) {
            next = new CompletableFuture<>();
        }
        CompletableFuture<T> mine = next;
        if (!calling) {
            calling = true;
            caller.execute(this::callWhileAsked);
        }
        return mine;
    }

    private void callWhileAsked() {
        while (true) {
            CompletableFuture<T> waiting;
            synchronized (this) {
                waiting = next;
                next = null;
                if (waiting == null) {
                    calling = false;
                    return;
                }
            }
            try {
                waiting.complete(call.get());
            } catch (RuntimeException | Error failure) {
                waiting.completeExceptionally(failure);
            }
        }
    }
}
