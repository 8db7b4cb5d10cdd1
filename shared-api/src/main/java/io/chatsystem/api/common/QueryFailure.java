package io.chatsystem.api.common;

/**
 * Why a query could not be answered. Travels as the details of a
 * {@link org.axonframework.queryhandling.QueryExecutionException}, so it survives a distributed
 * query bus (Axon Server), where the exception's class and cause do not.
 */
public enum QueryFailure {
    /** A store the answer needs (Elasticsearch for search) cannot be reached right now: try again shortly. */
    UNAVAILABLE
}
