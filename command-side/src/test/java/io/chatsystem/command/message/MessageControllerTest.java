package io.chatsystem.command.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.chatsystem.command.Commands;
import io.chatsystem.web.AsciiNumbers;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class MessageControllerTest {

    private static final String TOKEN = "q1dM1YwKQ2m1b1Kp3d9xWw";
    private static final String MESSAGES = "/api/v1/applications/{token}/chats/{chat}/messages";
    private static final String BODY = "{\"body\":\"hello\"}";

    private final Commands commands = mock(Commands.class);
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new MessageController(commands, mock(MessageSends.class)))
            .setControllerAdvice(new AsciiNumbers())
            .build();

    @Test
    void aSentMessagesLocationIsItsPathAlone() throws Exception {
        when(commands.<MessageSends.Sent>await(any())).thenReturn(new MessageSends.Sent(4, null));

        MockHttpServletResponse response = answer(post(MESSAGES, TOKEN, "1")
                .header(HttpHeaders.HOST, "attacker.example").contentType(MediaType.APPLICATION_JSON).content(BODY));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/v1/applications/" + TOKEN + "/chats/1/messages/4");
    }

    /** A full-width one ({@code \uFF11}) was chat 1, and message 1. */
    @Test
    void aNumberOfOtherDigitsIsMalformedAndNothingIsSent() throws Exception {
        for (RequestBuilder request : new RequestBuilder[] {
                post(MESSAGES, TOKEN, "\uFF11").contentType(MediaType.APPLICATION_JSON).content(BODY),
                put(MESSAGES + "/{number}", TOKEN, "\uFF11", "1").contentType(MediaType.APPLICATION_JSON).content(BODY),
                put(MESSAGES + "/{number}", TOKEN, "1", "\uFF11").contentType(MediaType.APPLICATION_JSON).content(BODY),
                put(MESSAGES + "/{number}", TOKEN, "1", "+1").contentType(MediaType.APPLICATION_JSON).content(BODY)}) {
            assertThat(answer(request).getStatus()).isEqualTo(400);
        }
        verifyNoInteractions(commands);
    }

    private MockHttpServletResponse answer(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }
}
