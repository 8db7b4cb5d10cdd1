package io.chatsystem.query.wire;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import io.chatsystem.api.message.MessageList;
import io.chatsystem.api.message.MessageView;
import io.chatsystem.axon.wire.AppSerializers;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over Axon Server a query's answer is one gRPC message of at most 4 MB (its default): a page of long
 * messages must come in answers that fit, whatever characters the bodies hold.
 */
class AnswerSizeTest {

    private static final long AXON_SERVER_MESSAGE_LIMIT = 4L * 1024 * 1024;
    /** chat.messages.max-length on the command side. */
    private static final int LONGEST_BODY = 10_000;

    private final Serializer serializer = AppSerializers.load().messages();

    @Test
    void anAnswerOfTheLongestBodiesInTheCostliestCharactersFitsTheWire() {
        // a control character is written as a six-byte escape in JSON
        MessageList answer = MessageList.fitting(messages(500, "\u0001".repeat(LONGEST_BODY)));

        assertThat(answer.more()).as("the rest follows in further answers").isTrue();
        assertThat(serializedSize(answer)).isLessThan(AXON_SERVER_MESSAGE_LIMIT);
        assertThat(MessageList.fitting(messages(500, "\u00e9".repeat(LONGEST_BODY))).messages())
                .as("as many as fit, in order").isNotEmpty().first().extracting(MessageView::number).isEqualTo(1);
    }

    @Test
    void aPageOfOrdinaryMessagesIsOneAnswer() {
        MessageList answer = MessageList.fitting(messages(500, "hello there, how is everyone today?"));

        assertThat(answer.more()).isFalse();
        assertThat(answer.messages()).hasSize(500);
    }

    @Test
    void anAnswerHoldsAtLeastOneMessage() {
        MessageList answer = MessageList.fitting(messages(2, "x".repeat((int) MessageList.BODY_BUDGET)));

        assertThat(answer.messages()).hasSize(1);
        assertThat(answer.more()).isTrue();
    }

    private long serializedSize(MessageList answer) {
        return serializer.serialize(answer, byte[].class).getData().length;
    }

    private static List<MessageView> messages(int count, String body) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> new MessageView(n, body, Instant.EPOCH, null)).toList();
    }
}
