package io.chatsystem.query.search;

import io.chatsystem.query.replay.ProjectionAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Swaps a rebuilt search index in as soon as the search projection has replayed up to where it was at
 * its reset, on every segment, whichever query-side instance holds it. Every instance may try the swap
 * at once: it is one atomic request naming the indices it saw, so only the first changes anything.
 * An index made under an earlier mapping is rebuilt: this asks for the search projection's replay.
 */
@Component
class SearchIndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexRebuild.class);

    private final SearchIndex index;
    private final ProjectionAdmin projections;

    SearchIndexRebuild(SearchIndex index, ProjectionAdmin projections) {
        this.index = index;
        this.projections = projections;
    }

    @Scheduled(fixedDelayString = "${chat.search.rebuild-check-millis:1000}")
    void completeWhenCaughtUp() {
        try {
            Boolean replaying = projections.replaying(SearchProjection.NAME);
            if (replaying == null) {
                return;
            }
            if (replaying) {
                // the reset may have happened on another instance: this one learns of the rebuild here
                index.rebuildUnderWay();
            } else if (index.outdated()) {
                projections.requestReplay(SearchProjection.NAME);
            } else {
                index.completeRebuildIfUnderWay();
            }
        } catch (Exception e) {
            log.debug("Search index rebuild check failed; retrying", e);
        }
    }
}
