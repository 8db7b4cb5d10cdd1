package io.chatsystem.api.message;

import java.util.List;

import io.chatsystem.api.common.RejectionReason;

/** The answer to a {@link SendMessagesCommand}: one outcome per message, in the command's order. */
public record SentMessages(List<Outcome> outcomes) {

    /** The message's number, or why it was refused (then {@code number} is 0). */
    public record Outcome(int number, RejectionReason refusal, String detail) {

        public static Outcome sent(int number) {
            return new Outcome(number, null, null);
        }

        public static Outcome refused(RejectionReason refusal, String detail) {
            return new Outcome(0, refusal, detail);
        }
    }
}
