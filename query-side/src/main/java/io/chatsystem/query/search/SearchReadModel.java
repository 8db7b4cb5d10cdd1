package io.chatsystem.query.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;

import io.chatsystem.api.common.QueryFailure;
import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.SearchMessagesQuery;
import io.chatsystem.query.replay.ReadModel;
import org.axonframework.queryhandling.QueryExecutionException;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * The search read model: an Elasticsearch index per version ({@link SearchProjection} writes each), the
 * live one behind the alias searches read; and the searches it answers.
 */
@Component
class SearchReadModel implements ReadModel {

    static final String NAME = "search";

    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

    private final SearchIndex index;
    private final SearchSettings settings;
    private volatile long lastCheck = System.nanoTime() - CHECK_INTERVAL.toNanos();

    SearchReadModel(SearchIndex index, SearchSettings settings) {
        this.index = index;
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object handlers(int version) {
        return new SearchProjection(index, version, settings);
    }

    @Override
    public void create(int version) {
        call(() -> index.create(version));
    }

    @Override
    public void publish(int version) {
        call(() -> index.publish(version));
    }

    @Override
    public void drop(int version) {
        call(() -> index.drop(version));
    }

    /** An index from before versions keeps answering while the first version is built. */
    @Override
    public boolean published() {
        try {
            return !index.published().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rebuilt when searches do not read the live version's index under the current mapping: it was made
     * under an earlier one, or someone deleted it or moved the alias (an index of an earlier release of
     * this code, put back). Looked at every {@link #CHECK_INTERVAL} at most: one request to Elasticsearch.
     */
    @Override
    public boolean needsRebuild(int liveVersion) {
        long now = System.nanoTime();
        if (now - lastCheck < CHECK_INTERVAL.toNanos()) {
            return false;
        }
        lastCheck = now;
        try {
            return !index.published().equals(Set.of(index.index(liveVersion))) || index.outdated(liveVersion);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private interface IndexCall {
        void run() throws IOException;
    }

    private static void call(IndexCall call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
