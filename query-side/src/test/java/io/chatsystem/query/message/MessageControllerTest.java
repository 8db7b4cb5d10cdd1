package io.chatsystem.query.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.chatsystem.api.chat.FindChatQuery;
import io.chatsystem.query.web.Paging;
import io.chatsystem.query.web.Queries;
import io.chatsystem.web.AsciiNumbers;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** Numbers in the path and in the query are ASCII digits: a full-width {@code \uFF11} was chat 1, or page 1. */
class MessageControllerTest {

    private static final String TOKEN = "q1dM1YwKQ2m1b1Kp3d9xWw";
    private static final String MESSAGES = "/api/v1/applications/{token}/chats/{chat}/messages";

    private final Queries queries = mock(Queries.class);
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new MessageController(queries, new Paging(50, 500)))
            .setControllerAdvice(new AsciiNumbers())
            .build();

    @Test
    void aChatNumberOfOtherDigitsIsMalformed() throws Exception {
        assertThat(status(MESSAGES, "\uFF11")).isEqualTo(400);
        assertThat(status(MESSAGES + "?page=\uFF11", "1")).isEqualTo(400);
        assertThat(status(MESSAGES + "?size=\uFF15", "1")).isEqualTo(400);
        assertThat(status(MESSAGES + "?page=+1", "1")).isEqualTo(400);
        verifyNoInteractions(queries);
    }

    @Test
    void asciiDigitsAreTheNumber() throws Exception {
        assertThat(status(MESSAGES + "?page=1&size=20", "12")).isEqualTo(200);
        verify(queries).one(eq(new FindChatQuery(TOKEN, 12)), anyString());
    }

    private int status(String template, String chat) throws Exception {
        return mvc.perform(get(template, TOKEN, chat)).andReturn().getResponse().getStatus();
    }
}
