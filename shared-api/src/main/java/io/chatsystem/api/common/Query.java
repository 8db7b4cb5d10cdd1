package io.chatsystem.api.common;

import org.axonframework.messaging.responsetypes.ResponseType;

/**
 * A query that names the shape of its answer, so that the asker and the handler cannot disagree.
 *
 * <p>Every answer is one object: a view, an optional view, or a record that carries a list. A bare
 * {@code List} answer would lose its element type when serialized (over Axon Server every answer
 * crosses the wire), and {@code multipleInstancesOf} could then not convert it back.
 *
 * @param <R> the answer
 */
public interface Query<R> {

    ResponseType<R> responseType();
}
