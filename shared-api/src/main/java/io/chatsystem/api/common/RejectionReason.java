package io.chatsystem.api.common;

/**
 * Why a command was refused. Travels as the details of a
 * {@link org.axonframework.commandhandling.CommandExecutionException}, so it survives
 * a distributed command bus (Axon Server) where the exception class itself does not.
 */
public enum RejectionReason {
    /** The application, chat or message does not exist. */
    NOT_FOUND,
    /** The input breaks a rule (blank or over-long name or body). */
    INVALID,
    /** The request's Idempotency-Key was already used for a different request. */
    KEY_REUSED
}
