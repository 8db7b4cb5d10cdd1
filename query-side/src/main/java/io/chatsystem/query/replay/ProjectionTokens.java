package io.chatsystem.query.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every projection's segments as the token store holds them, whichever instance owns them: read
 * straight from {@code token_entry}, claiming nothing (the token store's own reads claim what they read).
 */
@Repository
public class ProjectionTokens {

    /** One segment of a projection. {@code owner}: the instance whose claim on it is current, or null. */
    public record SegmentToken(int segment, String owner, TrackingToken token) {

        public Long position() {
            OptionalLong position = token == null ? OptionalLong.empty() : token.position();
            return position.isPresent() ? position.getAsLong() : null;
        }

        /**
         * Replaying: reset, and not yet back where it was at the reset. (Axon keeps a replay token until
         * the segment handles an event beyond that point; on an idle stream it may sit exactly there.)
         */
        public boolean replaying() {
            if (!ReplayToken.isReplay(token)) {
                return false;
            }
            OptionalLong reset = ReplayToken.getTokenAtReset(token);
            Long current = position();
            return current == null || reset.isEmpty() || current < reset.getAsLong();
        }

        /** Where the replay ends, while it runs. */
        public Long resetPosition() {
            OptionalLong reset = ReplayToken.getTokenAtReset(token);
            return replaying() && reset.isPresent() ? reset.getAsLong() : null;
        }
    }

    private static final String SELECT = """
            SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
            ORDER BY processor_name, segment""";
    private static final String SELECT_ONE = """
            SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
            WHERE processor_name = ? ORDER BY segment""";

    /** A segment's token as last read: its stored bytes and what they deserialized to. */
    private record Deserialized(byte[] stored, String type, TrackingToken token) {
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final Duration claimTimeout;
    /**
     * By processor and segment: reads waiting for a write look here every few milliseconds, and most
     * segments' tokens have not changed since (deserializing a gap-aware token is most of a read's cost).
     */
    private final Map<String, Deserialized> lastRead = new ConcurrentHashMap<>();

    ProjectionTokens(JdbcTemplate jdbc, Serializer serializer, TokenClaims claims) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.claimTimeout = claims.timeout();
    }

    /** The segments of every projection, by projection name, in segment order. */
    public Map<String, List<SegmentToken>> all() {
        return read(SELECT);
    }

    public List<SegmentToken> of(String projection) {
        return read(SELECT_ONE, projection).getOrDefault(projection, List.of());
    }

    private Map<String, List<SegmentToken>> read(String select, Object... arguments) {
        Map<String, List<SegmentToken>> segments = new TreeMap<>();
        Instant claimedSince = Instant.now().minus(claimTimeout);
        jdbc.query(select, row -> {
            String owner = row.getString("owner");
            if (owner != null && !claimedAfter(row.getString("timestamp"), claimedSince)) {
                owner = null;
            }
            String processor = row.getString("processor_name");
            int segment = row.getInt("segment");
            TrackingToken tracking = deserialize(processor + "/" + segment, row.getBytes("token"), row.getString("token_type"));
            segments.computeIfAbsent(processor, name -> new ArrayList<>()).add(new SegmentToken(segment, owner, tracking));
        }, arguments);
        return segments;
    }

    private TrackingToken deserialize(String segment, byte[] stored, String type) {
        if (stored == null || type == null) {
            return null;
        }
        Deserialized last = lastRead.get(segment);
        if (last != null && last.type().equals(type) && Arrays.equals(last.stored(), stored)) {
            return last.token();
        }
        TrackingToken token = serializer.deserialize(new SimpleSerializedObject<>(stored, byte[].class, type, null));
        lastRead.put(segment, new Deserialized(stored, type, token));
        return token;
    }

    /** Whether any segment of the projection is replaying, on whichever instance. */
    public boolean replaying(String projection) {
        return of(projection).stream().anyMatch(SegmentToken::replaying);
    }

    /** A claim is current while it was renewed within the claim timeout (the token store writes ISO-8601 instants). */
    private static boolean claimedAfter(String timestamp, Instant since) {
        try {
            return timestamp != null && Instant.parse(timestamp).isAfter(since);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
