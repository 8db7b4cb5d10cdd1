package io.chatsystem.query.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import io.chatsystem.web.SharedCall;
import org.springframework.stereotype.Component;

/**
 * Makes what the search projection has indexed searchable now rather than at the index's next periodic
 * refresh (every second): for a search that waits for a write. Concurrent waiters share one refresh.
 */
@Component
public class SearchVisibility {

    private final SharedCall<Boolean> refresh;

    SearchVisibility(SearchIndex index) {
        this.refresh = new SharedCall<>("search-refresh", () -> {
            try {
                index.refreshReads();
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Completes once a refresh begun after this call is done. */
    public CompletableFuture<Boolean> afterNow() {
        return refresh.afterNow();
    }
}
