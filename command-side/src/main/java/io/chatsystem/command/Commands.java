package io.chatsystem.command;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.command.consistency.ConsistencyTokens;
import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.web.StoreCalls;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The command gateway as the controllers use it: the command goes with the request's
 * {@code Idempotency-Key} (as metadata, which the aggregate keeps in its events), and the answer comes
 * back within the store deadline, or a 503 ({@link StoreCalls}) when the event store (the database, or
 * Axon Server) does not answer. With the answer comes the write's {@link ConsistencyToken}.
 */
@Component
public class Commands {

    /** A command's answer and the position of its write (null when it could not be told). */
    public record Written<R>(R result, ConsistencyToken token) {

        /** The {@code Consistency-Token} header of the write's answer. */
        public HttpHeaders headers() {
            return Commands.headers(token);
        }
    }

    /** The {@code Consistency-Token} header of a write's answer (none when its position is unknown). */
    public static HttpHeaders headers(ConsistencyToken token) {
        HttpHeaders headers = new HttpHeaders();
        if (token != null) {
            headers.set(ConsistencyToken.HEADER, token.value());
        }
        return headers;
    }

    private final CommandGateway gateway;
    private final StoreCalls stores;
    private final ConsistencyTokens tokens;

    Commands(CommandGateway gateway, StoreCalls stores, ConsistencyTokens tokens) {
        this.gateway = gateway;
        this.stores = stores;
        this.tokens = tokens;
    }

    /** {@code key}: the request's Idempotency-Key, or null. */
    public <R> Written<R> send(Object command, IdempotencyKey key) {
        MetaData metaData = key == null ? MetaData.emptyInstance() : key.asMetaData();
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command).andMetaData(metaData);
        R result = sendAndWait(message);
        return new Written<>(result, tokens.of(message));
    }

    private <R> R sendAndWait(CommandMessage<?> message) {
        tokens.await(message);
        try {
            return stores.call(() -> gateway.sendAndWait(message));
        } catch (RuntimeException failure) {
            tokens.forget(message);
            throw failure;
        }
    }

    /** The answer of a command sent some other way (see MessageSends), awaited like {@link #send}. */
    public <R> R await(Supplier<CompletableFuture<R>> command) {
        return stores.call(() -> command.get().join());
    }

    /** The key of an {@code Idempotency-Key} header, or null without one; 400 when it is not a valid key. */
    public static IdempotencyKey key(String header) {
        try {
            return IdempotencyKey.of(header);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
