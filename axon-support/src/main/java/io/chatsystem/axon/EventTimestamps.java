package io.chatsystem.axon;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

import org.axonframework.common.DateTimeUtils;

/**
 * Timestamps as Axon and Jackson write them ({@code 2026-12-06T06:12:26.123Z}), parsed without a
 * {@code DateTimeFormatter}: Axon keeps an event entry's timestamp as that text and parsed it so at every
 * read, and Jackson the instants in every event's payload; together almost a quarter of the query side's
 * CPU in a replay (JFR). Any other form is left to them.
 */
final class EventTimestamps {

    /** {@code yyyy-MM-ddTHH:mm:ssZ}, the shortest form taken here. */
    private static final int SHORTEST = 20;
    /** Where a fraction starts: in place of the shortest form's {@code Z}, after its dot. */
    private static final int FRACTION_START = SHORTEST;
    private static final int MAX_FRACTION_DIGITS = 9;
    private static final long SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private EventTimestamps() {
    }

    static Instant parse(String text) {
        Instant instant = parseUtc(text);
        return instant != null ? instant : DateTimeUtils.parseInstant(text);
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; null for any other text. */
    static Instant parseUtc(String text) {
        int length = text.length();
        if (length < SHORTEST || length > FRACTION_START + MAX_FRACTION_DIGITS || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > SHORTEST) {
            int fractionDigits = length - 1 - FRACTION_START;
            int fraction = digits(text, FRACTION_START, fractionDigits);
            if (text.charAt(FRACTION_START - 1) != '.' || fractionDigits == 0 || fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[MAX_FRACTION_DIGITS - fractionDigits];
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY
                + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The number written by {@code count} ASCII digits at {@code start}; -1 if one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
