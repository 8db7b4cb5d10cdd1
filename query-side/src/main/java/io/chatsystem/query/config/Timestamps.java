package io.chatsystem.query.config;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The read tables keep UTC DATETIME(6) values, whatever the time zone of the JVM or the server. */
public final class Timestamps {

    private Timestamps() {
    }

    public static LocalDateTime toColumn(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromColumn(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
