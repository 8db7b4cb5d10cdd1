package io.chatsystem.query.search;

import java.util.Map;

import io.chatsystem.query.replay.ProjectionAdmin;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Swaps a rebuilt search index in as soon as the search projection has replayed up to the head of the stream. */
@Component
class SearchIndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexRebuild.class);

    private final SearchIndex index;
    private final EventProcessingConfiguration processing;

    SearchIndexRebuild(SearchIndex index, EventProcessingConfiguration processing) {
        this.index = index;
        this.processing = processing;
    }

    @Scheduled(fixedDelayString = "${chat.search.rebuild-check-millis:1000}")
    void completeWhenCaughtUp() {
        try {
            if (caughtUp() && index.rebuildPending()) {
                index.completeRebuild();
            }
        } catch (Exception e) {
            log.debug("Search index rebuild check failed; retrying", e);
        }
    }

    private boolean caughtUp() {
        Map<Integer, EventTrackerStatus> segments = processing
                .eventProcessor(SearchProjection.NAME, TrackingEventProcessor.class)
                .map(TrackingEventProcessor::processingStatus)
                .orElse(Map.of());
        return !segments.isEmpty()
                && segments.values().stream()
                .allMatch(s -> s.isCaughtUp() && !ProjectionAdmin.isReplaying(s) && !s.isErrorState());
    }
}
