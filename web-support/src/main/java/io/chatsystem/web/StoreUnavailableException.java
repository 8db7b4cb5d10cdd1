package io.chatsystem.web;

/**
 * A store a request needs (the database, Axon Server, Elasticsearch) did not answer, or did not answer
 * in time. Answered as 503 with {@code Retry-After}: nothing about the request was wrong.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
