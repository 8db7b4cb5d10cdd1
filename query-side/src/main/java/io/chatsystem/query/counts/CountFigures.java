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
 * The count figures in Redis, by version of the counts read model ({@code chat:counts:v<version>:}): one
 * hash per kind (application token -> chats_count, chat key -> messages_count) and a set of the entries
 * changed since the last flush.
 *
 * <p>Numbers are gapless, so a count is the highest number seen: figures only ever rise to the
 * number an event carries. An event delivered twice, or replayed, cannot count twice.
 */
@Repository
class CountFigures {

    /** The kinds of figure. */
    enum Kind {
        CHATS_PER_APPLICATION("chats"),
        MESSAGES_PER_CHAT("messages");

        private final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /** The keys of one kind of figure in one version. */
    private record Keys(String figures, String dirty, String flushing) {

        Keys(int version, Kind kind) {
            this(prefix(version) + kind.key, prefix(version) + kind.key + ":dirty",
                    prefix(version) + kind.key + ":flushing");
        }

        List<String> all() {
            return List.of(figures, dirty, flushing);
        }
    }

    private static String prefix(int version) {
        return "chat:counts:v" + version + ":";
    }

    /** Present while Redis holds the version's figures of the whole history; gone when Redis was emptied or replaced. */
    private static String epoch(int version) {
        return prefix(version) + "epoch";
    }

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
    void raise(int version, Kind kind, Map<String, Long> figures) {
        if (figures.isEmpty()) {
            return;
        }
        Keys keys = new Keys(version, kind);
        List<String> args = new ArrayList<>(figures.size() * 2);
        figures.forEach((entry, figure) -> {
            args.add(entry);
            args.add(Long.toString(figure));
        });
        redis.execute(RAISE, List.of(keys.figures(), keys.dirty()), args.toArray());
    }

    /** The figures of the entries named, in their order; null where Redis has none. */
    List<Long> figures(int version, Kind kind, List<String> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<Object> values = redis.opsForHash().multiGet(new Keys(version, kind).figures(), new ArrayList<>(entries));
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
    Map<String, Long> changed(int version, Kind kind) {
        Keys keys = new Keys(version, kind);
        List<String> flat = redis.execute(TAKE_CHANGED, List.of(keys.dirty(), keys.flushing(), keys.figures()));
        Map<String, Long> changed = new HashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            changed.put(flat.get(i), Long.parseLong(flat.get(i + 1)));
        }
        return changed;
    }

    /** Confirms a flush; {@code notWritten} (rows that do not exist in MySQL yet) stay marked for the next one. */
    void flushed(int version, Kind kind) {
        redis.delete(new Keys(version, kind).flushing());
    }

    boolean holdsHistory(int version) {
        return Boolean.TRUE.equals(redis.hasKey(epoch(version)));
    }

    /**
     * A new version: from now on it holds the figures of the whole history (its processor counts every event
     * from the first). Its processor may have raised some already, on another instance: they stay.
     */
    void create(int version) {
        redis.opsForValue().setIfAbsent(epoch(version), UUID.randomUUID().toString());
    }

    /** Forgets a version's figures. */
    void drop(int version) {
        List<String> keys = new ArrayList<>(List.of(epoch(version)));
        for (Kind kind : Kind.values()) {
            keys.addAll(new Keys(version, kind).all());
        }
        redis.delete(keys);
    }

    static String chatKey(String applicationToken, int chatNumber) {
        return applicationToken + ":" + chatNumber;
    }
}
