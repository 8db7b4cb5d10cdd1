package io.chatsystem.query.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.Semaphore;

import io.chatsystem.api.message.MessageView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The live streams this instance holds open: at most {@code chat.streams.max-open}, and no more than
 * its heap holds. Each open stream keeps its request, connection buffers and parked thread in memory
 * (about {@code heap-per-stream}); a limit the heap cannot hold would end in an OutOfMemoryError that
 * takes every stream and the projections down, so the limit is lowered to what fits in
 * {@code heap-percent} of the maximum heap, told once at start-up.
 */
@Component
class MessageStreams {

    /**
     * {@code queueCapacity}: changes waiting for one slow client before its stream is closed (it resumes
     * with Last-Event-ID); {@code pageSize}: stored messages read per query while a stream catches up;
     * {@code idleCatchUp}: how often an idle stream reads what was stored after its last message.
     */
    @ConfigurationProperties("chat.streams")
    record Settings(@DefaultValue("10000") int maxOpen, @DefaultValue("1000") int queueCapacity,
                    @DefaultValue("3s") Duration heartbeat, @DefaultValue("500") int pageSize,
                    @DefaultValue("1m") Duration idleCatchUp, @DefaultValue("256KB") DataSize heapPerStream,
                    @DefaultValue("60") int heapPercent) {

        /** {@code maxOpen}, or fewer if that many would not fit in {@code heapPercent} of {@code maxHeap}. */
        int limit(long maxHeap) {
            long fitting = maxHeap * heapPercent / 100 / Math.max(1, heapPerStream.toBytes());
            return (int) Math.max(1, Math.min(maxOpen, fitting));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MessageStreams.class);

    /** An event as sent: its name and message. */
    private record Event(String name, MessageView message) {
    }

    /** Events recently written, so a message streamed to many clients is serialized once. */
    private static final int EVENTS_KEPT = 10_000;

    private final Settings settings;
    private final int limit;
    private final Semaphore open;
    private final Map<Event, byte[]> events = new ConcurrentHashMap<>();

    MessageStreams(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        long maxHeap = Runtime.getRuntime().maxMemory();
        this.limit = settings.limit(maxHeap);
        if (limit < settings.maxOpen()) {
            log.info("At most {} live streams fit this instance's heap ({} MB, {} KB a stream, {} % for streams): "
                            + "more are refused with 503. A larger heap (-Xmx) allows chat.streams.max-open ({}).",
                    limit, maxHeap >> 20, settings.heapPerStream().toKilobytes(), settings.heapPercent(),
                    settings.maxOpen());
        }
        this.open = new Semaphore(limit);
        Gauge.builder("chat_streams_open", open, permits -> limit - permits.availablePermits())
                .description("Live message streams open on this instance").register(meters);
    }

    Settings settings() {
        return settings;
    }

    /** Takes a place for one more stream; give it back with {@link #close()}. */
    void open() {
        if (!open.tryAcquire()) {
            throw new TooManyStreamsException(limit);
        }
    }

    void close() {
        open.release();
    }

    /** The bytes of one Server-Sent Event for the message ({@code id}, {@code event} and {@code data} lines). */
    byte[] event(String name, MessageView message, Function<MessageView, String> json) {
        if (events.size() >= EVENTS_KEPT) {
            events.clear();
        }
        return events.computeIfAbsent(new Event(name, message), event -> ("id: " + message.number() + "\nevent: " + name
                + "\ndata: " + json.apply(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
