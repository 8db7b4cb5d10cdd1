package io.chatsystem.query.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.chatsystem.api.common.QueryFailure;
import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.SearchMessagesQuery;
import io.chatsystem.query.config.PerBatch;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryExecutionException;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the message index: each processor batch becomes one bulk request. If Elasticsearch cannot
 * take it, the batch fails and the processor retries it with back-off, never skipping an event.
 */
@Component
@ProcessingGroup(SearchProjection.NAME)
class SearchProjection {

    static final String NAME = "search";

    private static final Logger log = LoggerFactory.getLogger(SearchProjection.class);

    private final SearchIndex index;
    private final long maxBulkBytes;

    SearchProjection(SearchIndex index, SearchSettings settings) {
        this.index = index;
        this.maxBulkBytes = settings.maxBulkSize().toBytes();
    }

    /** Creates the index early when Elasticsearch is up; if it is not, the first write or search will. */
    @EventListener(ApplicationReadyEvent.class)
    void createIndex() {
        try {
            index.ensureExists();
        } catch (IOException | RuntimeException e) {
            log.warn("Search index not ready yet ({}); will retry on first use", e.getMessage());
        }
    }

    @EventHandler
    void on(MessageSent event) {
        write(index.indexMessage(event.applicationToken(), event.chatNumber(), event.messageNumber(),
                event.body(), event.sentAt()));
    }

    @EventHandler
    void on(MessageEdited event) {
        write(index.editMessage(event.applicationToken(), event.chatNumber(), event.messageNumber(),
                event.body(), event.editedAt()));
    }

    /** A replay rebuilds into a new index; {@link SearchIndexRebuild} swaps it in once caught up. */
    @ResetHandler
    void reset() throws IOException {
        index.startRebuild();
    }

    @QueryHandler
    MessageList handle(SearchMessagesQuery query) {
        try {
            return MessageList.fitting(index.search(query.applicationToken(), query.chatNumber(), query.text(),
                    query.page(), query.skip()));
        } catch (IOException e) {
            throw unavailable(e);
        } catch (RuntimeException e) {
            if (SearchIndex.isUnavailable(e)) {
                throw unavailable(e);
            }
            throw e;
        }
    }

    /** Told by its details, which cross Axon Server where the exception's class and cause do not. */
    private static QueryExecutionException unavailable(Exception cause) {
        return new QueryExecutionException("search is unavailable right now, try again shortly", cause,
                QueryFailure.UNAVAILABLE);
    }

    /**
     * Adds the write to the batch's bulk request, which goes out as the batch commits, or before, in parts,
     * when it grows past {@code chat.search.max-bulk-size}: writing part of a batch early is safe, as a batch
     * that fails after it is handled again and indexes the same documents under the same ids.
     */
    private void write(SearchIndex.Write write) {
        PendingWrites pending = PerBatch.resource(NAME, PendingWrites::new, this::send);
        pending.writes.add(write);
        pending.bytes += write.bytes();
        if (pending.bytes >= maxBulkBytes) {
            send(pending);
        }
    }

    private void send(PendingWrites pending) {
        if (pending.writes.isEmpty()) {
            return;
        }
        try {
            index.write(pending.writes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pending.writes.clear();
        pending.bytes = 0;
    }

    /** What the batch has still to send. */
    private static final class PendingWrites {
        private final List<SearchIndex.Write> writes = new ArrayList<>();
        private long bytes;
    }
}
