package io.chatsystem.api.common;

/**
 * One page of a list ordered by number: {@code page} counts from 1.
 * Chat and message numbers are gapless, so page {@code p} of size {@code s} holds exactly the
 * numbers {@code (p-1)*s+1 .. p*s}: readers can seek by number instead of skipping rows.
 */
public record PageSpec(int page, int size) {

    public PageSpec {
        if (page < 1) throw new IllegalArgumentException("page must be 1 or more");
        if (size < 1) throw new IllegalArgumentException("size must be 1 or more");
    }

    public long firstNumber() {
        return (long) (page - 1) * size + 1;
    }

    public long lastNumber() {
        return (long) page * size;
    }

    public long offset() {
        return (long) (page - 1) * size;
    }
}
