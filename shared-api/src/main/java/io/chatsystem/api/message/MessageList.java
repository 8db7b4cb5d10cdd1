package io.chatsystem.api.message;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a chat's messages: ordered by number when listed, best match first when searched.
 * {@code more}: the answer stopped early to stay within what one query answer may carry over Axon
 * Server (its 4 MB message limit); the rest follows its last message.
 */
public record MessageList(List<MessageView> messages, boolean more) {

    /**
     * Room for the bodies of one answer: half of Axon Server's default 4 MB message limit, counting 6
     * bytes a character (a JSON escape such as {@code \u0001} at worst), so every answer fits, however
     * its bodies are written.
     */
    public static final long BODY_BUDGET = 2L * 1024 * 1024;
    static final int BYTES_PER_CHARACTER = 6;
    static final int BYTES_PER_MESSAGE = 200;

    public MessageList(List<MessageView> messages) {
        this(messages, false);
    }

    /** As many of {@code messages}, in order, as fit in one answer (always the first); {@code more} if not all did. */
    public static MessageList fitting(List<MessageView> messages) {
        List<MessageView> fitting = new ArrayList<>();
        long size = 0;
        for (MessageView message : messages) {
            size += (long) message.body().length() * BYTES_PER_CHARACTER + BYTES_PER_MESSAGE;
            if (size > BODY_BUDGET && !fitting.isEmpty()) {
                return new MessageList(fitting, true);
            }
            fitting.add(message);
        }
        return new MessageList(fitting, false);
    }
}
