package io.chatsystem.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.HdrHistogram.Recorder;

/**
 * Live streams under load: subscribers on one chat's Server-Sent Events stream, messages sent at a
 * steady rate, and the time from each POST's 201 to its arrival at every subscriber. Also the query
 * side's memory with many streams open.
 */
final class StreamLoad {

    private final HttpClient http = HttpClient.newBuilder()
            // as EventSource does: an h2c upgrade attempt on the first request holds back a streamed answer
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Client client;

    StreamLoad(Client client) {
        this.client = client;
    }

    /** Opened streams; closing them closes their connections. */
    final class Subscribers implements AutoCloseable {
        private final List<Stream<String>> streams = new ArrayList<>();

        @Override
        public void close() {
            streams.forEach(Stream::close);
        }
    }

    /**
     * Opens {@code count} live-only streams on the chat at {@code baseUrl}; each arrival of message n is
     * passed to {@code received} with n. Returns once every stream has its subscription in place.
     */
    Subscribers subscribe(String baseUrl, String token, int chat, int count, ArrivalListener received)
            throws InterruptedException {
        // a chat the query side does not know yet has no stream (404)
        while (client.getStatus("/api/v1/applications/" + token + "/chats/" + chat) != 200) {
            Thread.sleep(10);
        }
        Subscribers subscribers = new Subscribers();
        CountDownLatch open = new CountDownLatch(count);
        URI uri = URI.create(baseUrl + Client.messages(token, chat) + "/stream");
        for (int i = 0; i < count; i++) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("stream answered " + response.statusCode());
                }
                synchronized (subscribers.streams) {
                    subscribers.streams.add(response.body());
                }
                Thread.ofVirtual().start(() -> read(response.body(), open, received));
            });
        }
        if (!open.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(open.getCount() + " of " + count + " streams did not open");
        }
        return subscribers;
    }

    interface ArrivalListener {
        void arrived(int number, long nanoTime);
    }

    private static void read(Stream<String> lines, CountDownLatch open, ArrivalListener received) {
        boolean opened = false;
        try {
            for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                String line = iterator.next();
                if (!opened && line.startsWith(":")) {
                    opened = true;
                    open.countDown();
                } else if (line.startsWith("id:")) {
                    received.arrived(Integer.parseInt(line.substring(3).strip()), System.nanoTime());
                }
            }
        } catch (RuntimeException closed) {
            // closed at the end of the row
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
        try (Subscribers open = subscribe(baseUrl, token, chat, subscribers, listener)) {
            long interval = 1_000_000_000L / perSecond;
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
            figures.add("POST 201 -> on the stream, " + perSecond + " msg/s, " + subscribers + " subscribers",
                    (long) subscribers * messages, System.nanoTime() - started, recorder.getIntervalHistogram());
        }
    }

    /** The query side's resident memory and heap in use with {@code count} streams open on it. */
    void memory(String querySideUrl, String token, int count) throws Exception {
        int chat = client.createChat(token);
        try (Subscribers open = subscribe(querySideUrl, token, chat, count, (number, at) -> { })) {
            Thread.sleep(2000);
            System.out.printf("query side with %,d open streams: resident %,d MB, heap in use %s%n", count,
                    ProcessCpu.residentMegabytes("query side"), client.heapInUse(querySideUrl));
        }
    }
}
