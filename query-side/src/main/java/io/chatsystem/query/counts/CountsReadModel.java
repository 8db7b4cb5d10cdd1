package io.chatsystem.query.counts;

import io.chatsystem.query.replay.ReadModel;
import org.springframework.stereotype.Component;

/**
 * The counts read model: each version's figures in a Redis key space of its own ({@link CountFigures}),
 * flushed from the live one to the count tables ({@link CountsFlusher}). Readers read the tables and, after
 * a write of their own, the live version's figures ({@link FreshCounts}); a count never goes down.
 */
@Component
class CountsReadModel implements ReadModel {

    static final String NAME = "counts";

    private final CountFigures figures;

    CountsReadModel(CountFigures figures) {
        this.figures = figures;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object handlers(int version) {
        return new CountsProjection(figures, version);
    }

    @Override
    public void create(int version) {
        figures.create(version);
    }

    /** Readers follow the live version as each instance learns of it; the count tables hold what was shown. */
    @Override
    public void publish(int version) {
    }

    @Override
    public void drop(int version) {
        figures.drop(version);
    }

    /** The count tables never go down: a first version may count from the first event while they answer. */
    @Override
    public boolean published() {
        return false;
    }

    /** Redis was emptied or replaced: the live version's figures are incomplete. */
    @Override
    public boolean needsRebuild(int liveVersion) {
        return !figures.holdsHistory(liveVersion);
    }
}
