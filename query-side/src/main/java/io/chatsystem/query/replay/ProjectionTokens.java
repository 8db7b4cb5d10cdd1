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

    /**
     * One segment of a processor. {@code owner}: the instance whose claim on it is current, or null;
     * {@code claimed}: when its claim was last taken, renewed or released.
     */
    public record SegmentToken(int segment, String owner, Instant claimed, TrackingToken token) {

        public Long position() {
            OptionalLong position = token == null ? OptionalLong.empty() : token.position();
            return position.isPresent() ? position.getAsLong() : null;
        }
    }

    private static final String SELECT = """
            SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
            ORDER BY processor_name, segment""";
    private static final String SELECT_ONE = """
            SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
            WHERE processor_name = ? ORDER BY segment""";
    private static final String LOCK = SELECT_ONE + " FOR UPDATE";
    /** The segments of each projection's live version, by projection: the versions as the database has them now. */
    private static final String SELECT_LIVE = """
            SELECT v.projection AS processor_name, t.segment, t.owner, t.timestamp, t.token, t.token_type
            FROM projection_versions v JOIN token_entry t ON t.processor_name = CONCAT(v.projection, '-v', v.version)
            WHERE v.state = 'live' ORDER BY v.projection, t.segment""";

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

    /**
     * The segments of every projection's live version, by projection name, as the database has the versions
     * now: a read waiting for a write on an instance that has not yet seen another instance's switch waits
     * for the version readers read.
     */
    public Map<String, List<SegmentToken>> live() {
        return read(SELECT_LIVE);
    }

    public List<SegmentToken> of(String processor) {
        return read(SELECT_ONE, processor).getOrDefault(processor, List.of());
    }

    /**
     * The processor's segments, their rows locked for the current transaction: no instance commits a batch
     * of the processor until it ends (a batch commits its token with its writes).
     */
    List<SegmentToken> lockSegments(String processor) {
        return read(LOCK, processor).getOrDefault(processor, List.of());
    }

    private Map<String, List<SegmentToken>> read(String select, Object... arguments) {
        Map<String, List<SegmentToken>> segments = new TreeMap<>();
        Instant claimedSince = Instant.now().minus(claimTimeout);
        jdbc.query(select, row -> {
            String owner = row.getString("owner");
            Instant claimed = parse(row.getString("timestamp"));
            if (owner != null && claimed != null && !claimed.isAfter(claimedSince)) {
                owner = null;
            }
            String processor = row.getString("processor_name");
            int segment = row.getInt("segment");
            TrackingToken tracking = deserialize(processor + "/" + segment, row.getBytes("token"), row.getString("token_type"));
            segments.computeIfAbsent(processor, name -> new ArrayList<>()).add(new SegmentToken(segment, owner, claimed, tracking));
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

    /** The token store writes ISO-8601 instants; null for anything else. */
    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
