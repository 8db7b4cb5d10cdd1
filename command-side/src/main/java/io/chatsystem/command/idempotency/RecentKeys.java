package io.chatsystem.command.idempotency;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.command.CommandRejected;

/**
 * The idempotency keys an aggregate has seen lately, with what each request was (its fingerprint) and
 * what it produced. Rebuilt from the keys its events carry in their metadata, and kept in its
 * snapshots, so a repeat is recognised after restarts, on any instance and after replays.
 *
 * <p>Bounded by count: the last {@link #CAPACITY} keyed writes of the chat or application. A retry is
 * recognised as long as fewer writes with other keys reached the same chat or application in between.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY) // kept in the aggregate's snapshots
public class RecentKeys {

    /** Thousands of retried writes per chat in the time a client takes to retry; a few dozen bytes each. */
    static final int CAPACITY = 1000;

    /** What a keyed request produced: the number it was given (or a count), and when. */
    public record Outcome(String fingerprint, int number, Instant at) {
    }

    private LinkedHashMap<String, Outcome> outcomes = new LinkedHashMap<>();

    /**
     * The outcome of an earlier request with this key, if any. The same key with another request is a
     * client error (422): the key cannot mean two things.
     */
    public Optional<Outcome> earlier(KeyedRequest request) {
        if (request.key() == null) {
            return Optional.empty();
        }
        Outcome outcome = outcomes.get(request.key().value());
        if (outcome != null && !outcome.fingerprint().equals(request.fingerprint())) {
            throw new CommandRejected(RejectionReason.KEY_REUSED,
                    "Idempotency-Key " + request.key().value() + " was already used for a different request");
        }
        return Optional.ofNullable(outcome);
    }

    /** Called from the aggregate's event sourcing handlers, with the key and fingerprint an event carries. */
    public void remember(String key, String fingerprint, int number, Instant at) {
        if (key == null || fingerprint == null) {
            return;
        }
        outcomes.put(key, new Outcome(fingerprint, number, at));
        for (Iterator<String> oldest = outcomes.keySet().iterator(); outcomes.size() > CAPACITY; ) {
            oldest.next();
            oldest.remove();
        }
    }
}
