package io.chatsystem.query.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.chatsystem.axon.ForwardingEventStorageEngine;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * Processors behind the head of the stream (a replay, a catch-up) read it in pages they share. Axon's embedded
 * event store shares only its cache near the head: behind it, each processor and segment fetched and
 * deserialized every event itself, so a replay of all five projections read the stream five times. Here a
 * page, the events after a token, is read by the first reader to ask for it and kept, events deserialized
 * as they were first used, for the readers that reach the same token soon after; the newest
 * {@code keptPages} are kept. Readers are never held back by each other: one that falls behind the kept
 * pages reads its own, and one asking for a page being read waits for that read instead of reading it again.
 *
 * <p>A page shorter than a full one was read at the head: it ends the reader's stream (the embedded store
 * then has it follow its cache, or read again) and is not kept, so that no later reader gets it short.
 * Nor is one whose tokens carry gaps (see {@link #withoutGaps}).
 * Every other call goes to the wrapped engine.
 */
final class SharedCatchUpReads extends ForwardingEventStorageEngine {

    /** The key of the page read from the start, before any token. */
    private static final Object START = new Object();

    private final int pageSize;
    private final int keptPages;
    private final Map<Object, CompletableFuture<List<TrackedEventMessage<?>>>> pages = new ConcurrentHashMap<>();
    /** The kept pages' keys, oldest first. */
    private final Deque<Object> keys = new ArrayDeque<>();

    /**
     * @param pageSize  events a page holds (best the engine's fetch size, so that a page is one fetch)
     * @param keptPages pages kept for readers that reach them later
     */
    SharedCatchUpReads(EventStorageEngine engine, int pageSize, int keptPages) {
        super(engine);
        if (pageSize < 1 || keptPages < 1) {
            throw new IllegalArgumentException("a page holds at least one event and at least one page is kept");
        }
        this.pageSize = pageSize;
        this.keptPages = keptPages;
    }

    /** With {@code mayBlock}, the engine's own stream (the embedded store's read-ahead near the head). */
    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        if (mayBlock) {
            return engine().readEvents(trackingToken, true);
        }
        var pagesRead = new Spliterators.AbstractSpliterator<TrackedEventMessage<?>>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            TrackingToken last = trackingToken;
            Iterator<TrackedEventMessage<?>> page;
            boolean atHead;

            @Override
            public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                while (page == null || !page.hasNext()) {
                    if (atHead) {
                        return false;
                    }
                    List<TrackedEventMessage<?>> events = pageAfter(last);
                    atHead = events.size() < pageSize;
                    page = events.iterator();
                }
                TrackedEventMessage<?> event = page.next();
                last = event.trackingToken();
                action.accept(event);
                return true;
            }
        };
        return StreamSupport.stream(pagesRead, false);
    }

    private List<TrackedEventMessage<?>> pageAfter(TrackingToken token) {
        Object key = token == null ? START : token;
        CompletableFuture<List<TrackedEventMessage<?>>> page = new CompletableFuture<>();
        CompletableFuture<List<TrackedEventMessage<?>>> known = pages.putIfAbsent(key, page);
        if (known != null) {
            return await(known);
        }
        try {
            List<TrackedEventMessage<?>> events = read(token);
            page.complete(events);
            if (events.size() == pageSize && withoutGaps(events.getLast())) {
                keep(key);
            } else {
                pages.remove(key, page);
            }
            return events;
        } catch (RuntimeException | Error e) {
            // the readers waiting for it get the failure too; the next to ask reads again
            pages.remove(key, page);
            page.completeExceptionally(e);
            throw e;
        }
    }

    private List<TrackedEventMessage<?>> read(TrackingToken token) {
        List<TrackedEventMessage<?>> events = new ArrayList<>(pageSize);
        try (Stream<? extends TrackedEventMessage<?>> stream = engine().readEvents(token, false)) {
            Iterator<? extends TrackedEventMessage<?>> read = stream.iterator();
            // asks for no more than a page: the engine fetches the next batch only when asked past its last
            while (events.size() < pageSize && read.hasNext()) {
                events.add(read.next());
            }
        }
        return List.copyOf(events);
    }

    /**
     * Whether the event's token carries no gaps. Each event of the event table holds a token with the gaps
     * before it (ids of appends not yet committed or rolled back, kept for a minute), so pages read within a
     * minute of the head can weigh far more than their events: those are not kept (Axon's own read-ahead is
     * kept small for the same reason, see {@code chat.events.cached-events}). A replay's pages have none.
     */
    private static boolean withoutGaps(TrackedEventMessage<?> event) {
        return !(event.trackingToken() instanceof GapAwareTrackingToken token) || token.getGaps().isEmpty();
    }

    private void keep(Object key) {
        synchronized (keys) {
            keys.addLast(key);
            while (keys.size() > keptPages) {
                pages.remove(keys.removeFirst());
            }
        }
    }

    private static List<TrackedEventMessage<?>> await(CompletableFuture<List<TrackedEventMessage<?>>> page) {
        try {
            return page.get();
        } catch (InterruptedException e) {
            // a processor shutting down: its stream ends here
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("reading the event stream failed", e.getCause());
        }
    }
}
