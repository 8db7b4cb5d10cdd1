package io.chatsystem.query.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.chatsystem.api.message.MessageEdited;
import io.chatsystem.api.message.MessageSent;
import io.chatsystem.query.config.PerBatch;
import org.axonframework.eventhandling.EventHandler;

/**
 * Keeps one version's message index ({@link SearchReadModel}): each processor batch becomes one bulk
 * request. If Elasticsearch cannot take it, the batch fails and the processor retries it with back-off,
 * never skipping an event.
 */
class SearchProjection {

    private final SearchIndex index;
    private final String indexName;
    private final long maxBulkBytes;

    SearchProjection(SearchIndex index, int version, SearchSettings settings) {
        this.index = index;
        this.indexName = index.index(version);
        this.maxBulkBytes = settings.maxBulkSize().toBytes();
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

    /**
     * Adds the write to the batch's bulk request, which goes out as the batch commits, or before, in parts,
     * when it grows past {@code chat.search.max-bulk-size}: writing part of a batch early is safe, as a batch
     * that fails after it is handled again and indexes the same documents under the same ids.
     */
    private void write(SearchIndex.Write write) {
        PendingWrites pending = PerBatch.resource(SearchProjection.class.getName(), PendingWrites::new, this::send);
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
            index.write(indexName, pending.writes);
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
