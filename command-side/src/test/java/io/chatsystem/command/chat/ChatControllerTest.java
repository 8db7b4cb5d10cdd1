package io.chatsystem.command.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.chatsystem.command.Commands;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class ChatControllerTest {

    private static final String TOKEN = "q1dM1YwKQ2m1b1Kp3d9xWw";

    private final Commands commands = mock(Commands.class);
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new ChatController(commands)).build();

    /** The client resolves it against the address it asked: the Host header it sent is not echoed. */
    @Test
    void theNewChatsLocationIsItsPathAlone() throws Exception {
        when(commands.<Integer>send(any(), any())).thenReturn(new Commands.Written<>(3, null));

        MockHttpServletResponse response = mvc.perform(post("/api/v1/applications/{token}/chats", TOKEN)
                        .header(HttpHeaders.HOST, "attacker.example:8443"))
                .andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/v1/applications/" + TOKEN + "/chats/3");
    }
}
