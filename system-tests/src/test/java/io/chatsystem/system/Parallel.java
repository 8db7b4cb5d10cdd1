package io.chatsystem.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs requests truly in parallel: all tasks are released at once from a start gate. */
public final class Parallel {

    /** Task number {@code index} of a run. */
    @FunctionalInterface
    public interface Task<T> {
        T call(int index) throws Exception;
    }

    private Parallel() {
    }

    public static <T> List<T> run(int tasks, int threads, Task<T> task) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    gate.await();
                    return task.call(index);
                }));
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException("a parallel request failed", e);
        } finally {
            executor.shutdownNow();
        }
    }
}
