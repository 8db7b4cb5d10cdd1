package io.chatsystem.query.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatsystem.query.web.BadRequestException;
import org.junit.jupiter.api.Test;

/** A stream's position comes as {@code Last-Event-ID} or as {@code ?after=}, and both take the same numbers. */
class MessageStreamControllerTest {

    @Test
    void theLastEventIdIsAMessageNumber() {
        assertThat(MessageStreamController.position("7", null)).isEqualTo(7);
        assertThat(MessageStreamController.position("0", 3)).as("the header wins").isZero();
        assertThat(MessageStreamController.position(null, 3)).isEqualTo(3);
        assertThat(MessageStreamController.position(" ", 3)).isEqualTo(3);
        assertThat(MessageStreamController.position(null, null)).as("only new messages").isNull();
    }

    /** As {@code after=-1} is: a negative one was read as 0, a full-width {@code \uFF11} as 1. */
    @Test
    void anythingElseIsABadRequest() {
        for (String id : new String[] {"-5", "-0x1", "\uFF11", "+1", "0x1", "fifty", "1.5", "99999999999"}) {
            assertThatThrownBy(() -> MessageStreamController.position(id, null)).as(id)
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("Last-Event-ID");
        }
        assertThatThrownBy(() -> MessageStreamController.position(null, -1)).isInstanceOf(BadRequestException.class);
    }
}
