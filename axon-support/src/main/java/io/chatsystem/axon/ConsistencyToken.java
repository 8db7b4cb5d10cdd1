package io.chatsystem.axon;

import java.util.Collections;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.regex.Pattern;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

/**
 * A write's position in the event store, as a client carries it from a write's answer to a read
 * ({@code Consistency-Token}). A read model has processed the write once its tracking token covers it,
 * compared as Axon compares tokens, so that an event still missing behind later ones (a gap of the event
 * table: an append committed after later ones were read) does not count as processed.
 *
 * <p>Two kinds: the position of the write's own last event ({@code exact}: the event table's global index,
 * known from the append), or a head of the store read after the write was stored ({@code upTo}: every
 * event up to it must be processed, gaps included, since the write is somewhere below it; used over Axon
 * Server, whose appends do not tell their position and whose stream has no gaps, and for writes that
 * stored nothing new, such as a keyed repeat).
 */
public record ConsistencyToken(long index, boolean exact) {

    public static final String HEADER = "Consistency-Token";
    public static final String PARAMETER = "consistency_token";

    private static final Pattern FORM = Pattern.compile("[eu][0-9]{1,18}");

    public ConsistencyToken {
        if (index < 0) {
            throw new IllegalArgumentException("a position is 0 or more");
        }
    }

    /** The position of an event of the event table, by its global index. */
    public static ConsistencyToken ofEvent(long globalIndex) {
        return new ConsistencyToken(globalIndex, true);
    }

    /** Every event up to the given head of the store (null: an empty store). */
    public static ConsistencyToken upTo(TrackingToken head) {
        OptionalLong position = head == null ? OptionalLong.empty() : head.position();
        return new ConsistencyToken(position.orElse(0), false);
    }

    /** Reads a token as {@link #value()} wrote it; an {@link IllegalArgumentException} for anything else. */
    public static ConsistencyToken parse(String value) {
        String text = value == null ? "" : value.strip();
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException(HEADER + " is not a token this API gave out");
        }
        return new ConsistencyToken(Long.parseLong(text.substring(1)), text.charAt(0) == 'e');
    }

    /** The token as clients see it: opaque, short, ASCII. */
    public String value() {
        return (exact ? "e" : "u") + index;
    }

    /**
     * Whether a processor (one segment of it) whose token is {@code token} has processed this write. A
     * replaying segment counts where its replay has got to.
     */
    public boolean isCoveredBy(TrackingToken token) {
        TrackingToken current = WrappedToken.unwrapLowerBound(token);
        if (current instanceof GapAwareTrackingToken gapAware) {
            // an exact position needs its own event, not the gaps below it (other writes, maybe rolled back)
            SortedSet<Long> ignoredGaps = exact ? gapAware.getGaps().headSet(index) : Collections.emptySortedSet();
            return gapAware.covers(GapAwareTrackingToken.newInstance(index, ignoredGaps));
        }
        if (current instanceof GlobalSequenceTrackingToken) {
            return current.covers(new GlobalSequenceTrackingToken(index));
        }
        return current != null && current.position().orElse(-1) >= index;
    }
}
