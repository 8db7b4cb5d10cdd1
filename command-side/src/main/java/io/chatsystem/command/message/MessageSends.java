package io.chatsystem.command.message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.chatsystem.api.chat.ChatId;
import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.command.consistency.ConsistencyTokens;
import io.chatsystem.api.message.MessageToSend;
import io.chatsystem.api.message.SendMessagesCommand;
import io.chatsystem.api.message.SentMessages;
import io.chatsystem.command.CommandRejected;
import io.chatsystem.command.idempotency.IdempotencyKey;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Sends to one chat share a command while the chat is busy. A send to a quiet chat goes out at once,
 * alone; sends that arrive while that command is being stored wait and then go together in the next
 * one ({@link SendMessagesCommand}), so a busy chat pays one append and one commit per batch instead
 * of per message, and its throughput grows with its load instead of queuing on the aggregate's lock.
 * Each sender still gets its own answer only once its message is durably stored.
 *
 * <p>Per chat, one command at a time leaves this instance; several instances each batch their own
 * sends (the event store's sequence check orders them, as it does single sends).
 */
@Component
public class MessageSends {

    /** Bounds one command: its append is one JDBC batch, or one Axon Server transaction. */
    @ConfigurationProperties("chat.messages.batching")
    public record Batching(@DefaultValue("100") int maxBatchSize) {
    }

    /** A message stored: its number, and the position of the command that stored it (null if unknown). */
    public record Sent(int number, ConsistencyToken token) {
    }

    private record Pending(MessageToSend message, CompletableFuture<Sent> sent) {
    }

    /** The sends waiting for one chat; {@code sending} while a command for it is out. Guarded by itself. */
    private static final class Lane {
        final Queue<Pending> waiting = new ArrayDeque<>();
        boolean sending;
    }

    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final CommandGateway gateway;
    private final ConsistencyTokens tokens;
    private final int maxBatchSize;
    private final ExecutorService batches = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("message-batch-", 0).factory());

    MessageSends(CommandGateway gateway, ConsistencyTokens tokens, Batching batching) {
        this.gateway = gateway;
        this.tokens = tokens;
        this.maxBatchSize = batching.maxBatchSize();
    }

    /**
     * The number the message was given, once it is stored; fails with the command's failure, or with a
     * {@link CommandRejected} for this message alone.
     */
    public CompletableFuture<Sent> send(String applicationToken, int chatNumber, String body, IdempotencyKey key) {
        String chat = ChatId.of(applicationToken, chatNumber);
        Pending pending = new Pending(new MessageToSend(body, key == null ? null : key.value()), new CompletableFuture<>());
        Lane lane = lanes.computeIfAbsent(chat, c -> new Lane());
        boolean first;
        synchronized (lane) {
            lane.waiting.add(pending);
            first = !lane.sending;
            lane.sending = true;
        }
        if (first) {
            // the sender of a quiet chat stores its own message in its own thread (no hand-over)
            sendBatch(applicationToken, chatNumber, chat, lane);
        }
        return pending.sent();
    }

    private void sendBatch(String applicationToken, int chatNumber, String chat, Lane lane) {
        List<Pending> batch = new ArrayList<>();
        synchronized (lane) {
            while (batch.size() < maxBatchSize && !lane.waiting.isEmpty()) {
                batch.add(lane.waiting.poll());
            }
        }
        CommandMessage<SendMessagesCommand> command = GenericCommandMessage.asCommandMessage(
                new SendMessagesCommand(applicationToken, chatNumber, batch.stream().map(Pending::message).toList()));
        tokens.await(command);
        try {
            SentMessages sent = gateway.sendAndWait(command);
            ConsistencyToken token = tokens.of(command);
            for (int i = 0; i < batch.size(); i++) {
                SentMessages.Outcome outcome = sent.outcomes().get(i);
                if (outcome.refusal() == null) {
                    batch.get(i).sent().complete(new Sent(outcome.number(), token));
                } else {
                    batch.get(i).sent().completeExceptionally(new CommandRejected(outcome.refusal(), outcome.detail()));
                }
            }
        } catch (RuntimeException failure) {
            tokens.forget(command);
            batch.forEach(pending -> pending.sent().completeExceptionally(failure));
        } finally {
            synchronized (lane) {
                if (lane.waiting.isEmpty()) {
                    lane.sending = false;
                    lanes.remove(chat, lane);
                } else {
                    // the next batch goes out from a thread of its own: this sender has its answer already
                    batches.execute(() -> sendBatch(applicationToken, chatNumber, chat, lane));
                }
            }
        }
    }
}
