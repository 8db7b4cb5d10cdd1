package io.chatsystem.web;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls into the stores so that a frozen or unreachable store gives the client a fast 503 instead of
 * a hang. The call runs in a virtual thread; the request waits for it while the stores are healthy
 * (up to {@code chat.web.store-timeout}, a backstop), and gives up at once when {@link StoreMonitor}
 * finds a store down (it tells the waiting requests; none of them polls). The abandoned call ends on
 * its own when its client gives up or the store answers. Failures that mean a store is down become {@link StoreUnavailableException}.
 */
public final class StoreCalls {

    /** Causes that mean a store is unreachable, by class name: the JDBC, Spring, gRPC and Axon Server ones. */
    private static final Set<String> OUTAGES = Set.of(
            "java.sql.SQLTransientException",
            "java.sql.SQLTransientConnectionException",
            "java.sql.SQLNonTransientConnectionException",
            "java.sql.SQLRecoverableException",
            "java.net.ConnectException",
            "java.net.SocketTimeoutException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "org.springframework.dao.QueryTimeoutException",
            "io.grpc.StatusRuntimeException",
            "org.axonframework.axonserver.connector.AxonServerException",
            "io.axoniq.axonserver.connector.AxonServerException",
            // the event store or token store could not append or read (its connection broke)
            "org.axonframework.eventsourcing.eventstore.EventStoreException",
            "org.axonframework.common.jdbc.JdbcException",
            "org.axonframework.commandhandling.NoHandlerForCommandException",
            "org.axonframework.queryhandling.NoHandlerForQueryException");

    private final Duration timeout;
    private final StoreMonitor monitor;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("store-call-", 0).factory());
    /** The calls requests are waiting for: failed at once when a store goes down, which wakes their requests. */
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();

    public StoreCalls(Duration timeout, StoreMonitor monitor) {
        this.timeout = timeout;
        this.monitor = monitor;
        monitor.onOutage(this::failWaiting);
    }

    /** The result of {@code call}, or a {@link StoreUnavailableException} when a store is down or the deadline passed. */
    public <T> T call(Supplier<T> call) {
        if (!monitor.getAsBoolean()) {
            throw new StoreUnavailableException(DOWN, null);
        }
        monitor.calling();
        CompletableFuture<T> result = CompletableFuture.supplyAsync(call, calls);
        // an answer, even a refusal (unknown token), shows the stores alive
        result.whenComplete((answer, failure) -> monitor.called(failure == null || !isOutage(failure)
                && !(failure instanceof StoreUnavailableException)));
        waiting.add(result);
        try {
            if (!monitor.getAsBoolean()) {
                // went down between the first look and the registration: the monitor may have failed the others already
                result.completeExceptionally(new StoreUnavailableException(DOWN, null));
            }
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("A store did not answer within " + timeout.toMillis()
                    + " ms. Try again shortly.", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for a store", e);
        } finally {
            waiting.remove(result);
        }
    }

    /** A store went down: every waiting request answers 503 now; the calls themselves end on their own. */
    private void failWaiting() {
        for (CompletableFuture<?> call : waiting) {
            call.completeExceptionally(new StoreUnavailableException(DOWN, null));
        }
    }

    private static final String DOWN = "A store this request needs is down. Try again shortly.";

    private static RuntimeException rethrow(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (isOutage(cause)) {
            return new StoreUnavailableException("A store this request needs is unavailable. Try again shortly.", cause);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** SQLSTATE class 08: the connection failed, was closed, or could not be made. */
    private static final String CONNECTION_EXCEPTION = "08";

    /** Whether the failure, or one of its causes, says that a store cannot be reached. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(CONNECTION_EXCEPTION)) {
                return true;
            }
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (OUTAGES.contains(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
