package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SharedCallTest {

    @Test
    void callersThatAskDuringACallShareTheNextOneWhichBeginsAfterThemAll() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        SharedCall<Integer> shared = new SharedCall<>("test", () -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
            return call;
        });

        CompletableFuture<Integer> first = shared.afterNow();
        await(firstStarted);
        List<CompletableFuture<Integer>> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            during.add(shared.afterNow());
        }
        releaseFirst.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        for (CompletableFuture<Integer> answer : during) {
            // not the call under way when they asked: it may have read before their write
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThat(calls).hasValue(2);
        assertThat(shared.afterNow().get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aFailedCallFailsItsCallersAndTheNextOneIsMadeAfresh() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SharedCall<Integer> shared = new SharedCall<>("test", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("store down");
            }
            return calls.get();
        });

        assertThat(shared.afterNow()).failsWithin(5, TimeUnit.SECONDS);
        assertThat(shared.afterNow().get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
