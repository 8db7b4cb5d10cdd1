package io.chatsystem.command;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.chatsystem.command.idempotency.IdempotencyKey;
import io.chatsystem.web.StoreCalls;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The command gateway as the controllers use it: the command goes with the request's
 * {@code Idempotency-Key} (as metadata, which the aggregate keeps in its events), and the answer comes
 * back within the store deadline, or a 503 ({@link StoreCalls}) when the event store (the database, or
 * Axon Server) does not answer.
 */
@Component
public class Commands {

    private final CommandGateway gateway;
    private final StoreCalls stores;

    Commands(CommandGateway gateway, StoreCalls stores) {
        this.gateway = gateway;
        this.stores = stores;
    }

    public <R> R send(Object command) {
        return send(command, null);
    }

    /** {@code key}: the request's Idempotency-Key, or null. */
    public <R> R send(Object command, IdempotencyKey key) {
        MetaData metaData = key == null ? MetaData.emptyInstance() : key.asMetaData();
        return stores.call(() -> gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(metaData)));
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
