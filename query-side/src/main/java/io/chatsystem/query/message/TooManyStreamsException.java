package io.chatsystem.query.message;

/** Over {@code chat.streams.max-open}: the client is asked to come back later (503 with Retry-After). */
public class TooManyStreamsException extends RuntimeException {

    TooManyStreamsException(int limit) {
        super("This server holds its maximum of " + limit + " open streams. Try again shortly.");
    }
}
