package io.chatsystem.query.search;

/** Elasticsearch cannot be reached or cannot answer: search is unavailable, the rest of the API is not. */
public class SearchUnavailableException extends RuntimeException {

    public SearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
