package io.chatsystem.query.counts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;

/**
 * The count figures in Redis: one hash per kind (application token -> chats_count, chat key ->
 * messages_count) and a set of the entries changed since the last flush.
 *
 * <p>Numbers are gapless, so a count is the highest number seen: figures only ever rise to the
 * number an event carries. An event delivered twice, or replayed, cannot count twice.
 */
@Repository
class CountFigures {

    /** The kinds of figure, with their Redis keys. */
    enum Kind {
        CHATS_PER_APPLICATION("chats"),
        MESSAGES_PER_CHAT("messages");

        final String figures;
        final String dirty;
        final String flushing;

        Kind(String name) {
            this.figures = KEY_PREFIX + name;
            this.dirty = KEY_PREFIX + name + ":dirty";
            this.flushing = KEY_PREFIX + name + ":flushing";
        }
    }

    private static final String KEY_PREFIX = "chat:counts:";
    /** Present while Redis holds the figures of the whole history; gone when Redis was emptied or replaced. */
    private static final String EPOCH = KEY_PREFIX + "epoch";

    private static final RedisScript<Long> RAISE = RedisScript.of("""
            local raised = 0
            for i = 1, #ARGV, 2 do
              local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
              if tonumber(ARGV[i + 1]) > current then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
                redis.call('SADD', KEYS[2], ARGV[i])
                raised = raised + 1
              end
            end
            return raised""", Long.class);

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List<String>> TAKE_CHANGED = (RedisScript) new DefaultRedisScript<>("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('SUNIONSTORE', KEYS[2], KEYS[2], KEYS[1])
              redis.call('DEL', KEYS[1])
            end
            local result = {}
            for _, entry in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              local figure = redis.call('HGET', KEYS[3], entry)
              if figure then
                table.insert(result, entry)
                table.insert(result, figure)
              end
            end
            return result""", List.class);

    private final StringRedisTemplate redis;

    CountFigures(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Raises each figure to the given number where it is lower, and marks it changed. */
    void raise(Kind kind, Map<String, Long> figures) {
        if (figures.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(figures.size() * 2);
        figures.forEach((entry, figure) -> {
            args.add(entry);
            args.add(Long.toString(figure));
        });
        redis.execute(RAISE, List.of(kind.figures, kind.dirty), args.toArray());
    }

    /** The figures of the entries named, in their order; null where Redis has none. */
    List<Long> figures(Kind kind, List<String> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<Object> values = redis.opsForHash().multiGet(kind.figures, new ArrayList<>(entries));
        List<Long> figures = new ArrayList<>(values.size());
        for (Object value : values) {
            figures.add(value == null ? null : Long.valueOf(value.toString()));
        }
        return figures;
    }

    /**
     * The figures changed since the last completed flush. They stay reserved (and are returned
     * again) until {@link #flushed} confirms them, so a failed flush loses nothing.
     */
    Map<String, Long> changed(Kind kind) {
        List<String> flat = redis.execute(TAKE_CHANGED, List.of(kind.dirty, kind.flushing, kind.figures));
        Map<String, Long> changed = new HashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            changed.put(flat.get(i), Long.parseLong(flat.get(i + 1)));
        }
        return changed;
    }

    /** Confirms a flush; {@code notWritten} (rows that do not exist in MySQL yet) stay marked for the next one. */
    void flushed(Kind kind, List<String> notWritten) {
        redis.delete(kind.flushing);
        if (!notWritten.isEmpty()) {
            redis.opsForSet().add(kind.dirty, notWritten.toArray(String[]::new));
        }
    }

    private static final RedisScript<Long> MARK_ALL_CHANGED = RedisScript.of("""
            local entries = redis.call('HKEYS', KEYS[1])
            for i = 1, #entries, 5000 do
              redis.call('SADD', KEYS[2], unpack(entries, i, math.min(i + 4999, #entries)))
            end
            return #entries""", Long.class);

    /** Marks every figure of a kind changed, so the next flushes write them all again. */
    void markAllChanged(Kind kind) {
        redis.execute(MARK_ALL_CHANGED, List.of(kind.figures, kind.dirty));
    }

    boolean holdsHistory() {
        return Boolean.TRUE.equals(redis.hasKey(EPOCH));
    }

    /** Forgets every figure: the start of a rebuild from the event store. */
    void clear() {
        List<String> keys = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            keys.addAll(List.of(kind.figures, kind.dirty, kind.flushing));
        }
        redis.delete(keys);
        markHoldingHistory();
    }

    /** From now on Redis holds the figures of the whole history (the projection counts every event into it). */
    void markHoldingHistory() {
        redis.opsForValue().set(EPOCH, UUID.randomUUID().toString());
    }

    static String chatKey(String applicationToken, int chatNumber) {
        return applicationToken + ":" + chatNumber;
    }
}
