package io.chatsystem.command;

import io.chatsystem.api.common.RejectionReason;
import org.axonframework.commandhandling.CommandExecutionException;

/**
 * A command refused by a rule of the domain. The reason rides in the exception's details so that
 * it reaches the sender unchanged over a distributed command bus.
 */
public class CommandRejected extends CommandExecutionException {

    public CommandRejected(RejectionReason reason, String message) {
        super(message, null, reason);
    }

    /** Why: the details this exception carries. */
    public RejectionReason reason() {
        return getDetails().map(RejectionReason.class::cast).orElseThrow();
    }

    public static CommandRejected notFound(String message) {
        return new CommandRejected(RejectionReason.NOT_FOUND, message);
    }

    public static CommandRejected invalid(String message) {
        return new CommandRejected(RejectionReason.INVALID, message);
    }
}
