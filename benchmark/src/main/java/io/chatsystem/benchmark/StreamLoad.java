package io.chatsystem.benchmark;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;

/**
 * Live streams under load: subscribers on one chat's Server-Sent Events stream, messages sent at a
 * steady rate, and the time from each POST's 201 to its arrival at every subscriber. Also the query
 * side's memory with many streams open.
 */
final class StreamLoad {

    /** Streams being opened at once: enough to open thousands in seconds, few enough not to look like a flood. */
    private static final int OPENING_AT_ONCE = 32;
    private static final Duration OPENING_DEADLINE = Duration.ofMinutes(5);
    /**
     * The memory rows ask for more streams than a small heap admits: a 503 that lasts past a few heartbeats
     * (when the query side notices streams an earlier row closed) is its limit, and is reported as such.
     */
    private static final Duration MEMORY_OPENING_DEADLINE = Duration.ofMinutes(1);

    private final Client client;

    StreamLoad(Client client) {
        this.client = client;
    }

    interface ArrivalListener {
        void arrived(int number, long nanoTime);
    }

    /**
     * Opens {@code count} live-only streams on the chat at {@code baseUrl}; each arrival of message n is
     * passed to {@code received} with n, on the one reading thread. Returns once every stream has its
     * subscription in place. A 503 (the query side still holds the streams of an earlier row until it
     * next writes to them) is retried after its Retry-After, as a client would.
     */
    StreamReaders subscribe(String baseUrl, String token, int chat, int count, ArrivalListener received)
            throws Exception {
        return subscribe(baseUrl, token, chat, count, received, OPENING_DEADLINE);
    }

    private StreamReaders subscribe(String baseUrl, String token, int chat, int count, ArrivalListener received,
                                    Duration openingDeadline) throws Exception {
        // a chat the query side does not know yet has no stream (404)
        while (client.getStatus("/api/v1/applications/" + token + "/chats/" + chat) != 200) {
            Thread.sleep(10);
        }
        CountDownLatch open = new CountDownLatch(count);
        StreamReaders readers = new StreamReaders(new StreamReaders.Events() {
            @Override
            public void opened() {
                open.countDown();
            }

            @Override
            public void arrived(int number, long nanoTime) {
                received.arrived(number, nanoTime);
            }
        });
        URI uri = URI.create(baseUrl + Client.messages(token, chat) + "/stream");
        long began = System.nanoTime();
        long deadline = began + openingDeadline.toNanos();
        Semaphore opening = new Semaphore(OPENING_AT_ONCE);
        List<Future<?>> opened = new ArrayList<>();
        try (var openers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                opened.add(openers.submit(() -> {
                    opening.acquire();
                    try {
                        openRetrying(readers, uri, deadline);
                    } finally {
                        opening.release();
                    }
                    return null;
                }));
            }
            for (Future<?> stream : opened) {
                stream.get();
            }
        } catch (Exception e) {
            readers.close();
            throw e;
        }
        if (!open.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            readers.close();
            throw new IllegalStateException(open.getCount() + " of " + count + " streams sent nothing");
        }
        System.out.printf("%,d streams open in %d ms%n", count, (System.nanoTime() - began) / 1_000_000);
        return readers;
    }

    private static void openRetrying(StreamReaders readers, URI uri, long deadline) throws Exception {
        while (true) {
            try {
                readers.open(uri);
                return;
            } catch (StreamReaders.Refused refused) {
                if (refused.status != 503 || System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(refused.retryAfter);
            }
        }
    }

    /**
     * POST 201 -> arrival on each of {@code subscribers} streams, with messages sent at {@code perSecond}
     * for {@code messages} messages.
     */
    void latency(String baseUrl, String token, int subscribers, int perSecond, int messages, Figures figures)
            throws Exception {
        int chat = client.createChat(token);
        Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(3);
        CountDownLatch arrivals = new CountDownLatch(subscribers * messages);
        ArrivalListener listener = (number, at) -> {
            Long sent = acknowledged.get(number);
            // an arrival before the 201 reached the sender counts as no delay at all
            recorder.recordValue(sent == null ? 0 : Math.max(0, (at - sent) / 1000));
            arrivals.countDown();
        };
        try (StreamReaders open = subscribe(baseUrl, token, chat, subscribers, listener)) {
            long interval = 1_000_000_000L / perSecond;
            Map<String, Double> cpuBefore = ProcessCpu.sample();
            long started = System.nanoTime();
            var senders = Executors.newVirtualThreadPerTaskExecutor();
            for (int i = 0; i < messages; i++) {
                LockSupport.parkNanos(started + i * interval - System.nanoTime());
                int index = i;
                senders.execute(() -> {
                    int number = client.sendMessage(token, chat, "streamed " + index);
                    acknowledged.put(number, System.nanoTime());
                });
            }
            senders.shutdown();
            if (!arrivals.await(2, TimeUnit.MINUTES)) {
                System.out.printf("stream row: %d of %d arrivals missing%n", arrivals.getCount(), subscribers * messages);
            }
            long deliveries = (long) subscribers * messages;
            // CPU per 1 000 deliveries: where a stream's cost goes (writing, relaying, reading)
            figures.add("POST 201 -> on the stream, " + perSecond + " msg/s, " + subscribers + " subscribers",
                    deliveries, System.nanoTime() - started, recorder.getIntervalHistogram(),
                    ProcessCpu.perThousand(cpuBefore, ProcessCpu.sample(), deliveries));
        }
    }

    /** The query side's resident memory and heap in use with {@code count} streams open on it. */
    void memory(String querySideUrl, String adminPassword, String token, int count) throws Exception {
        int chat = client.createChat(token);
        try (StreamReaders open = subscribe(querySideUrl, token, chat, count, (number, at) -> { },
                MEMORY_OPENING_DEADLINE)) {
            Thread.sleep(2000);
            System.out.printf("query side with %,d open streams: resident %,d MB, heap in use %s%n", count,
                    ProcessCpu.residentMegabytes("query side"), client.heapInUse(querySideUrl, adminPassword));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof StreamReaders.Refused refused) || refused.status != 503) {
                throw e;
            }
            System.out.printf("query side with %,d open streams: refused (503), over its limit of open streams "
                    + "(chat.streams.max-open, lowered to what its heap holds)%n", count);
        }
    }
}
