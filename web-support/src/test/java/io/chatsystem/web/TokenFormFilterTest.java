package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TokenFormFilterTest {

    private static final String TOKEN = "q1dM1YwKQ2m1b1Kp3d9xWw";

    @Test
    void aTokenOfATokensFormGoesOn() throws Exception {
        for (String path : new String[] {"/api/v1/applications/" + TOKEN, "/api/v1/applications/" + TOKEN + "/chats/1",
                "/api/v1/applications", "/api/v1/applications/"}) {
            assertThat(passes(path)).as(path).isTrue();
        }
    }

    @Test
    void anyOtherTokenIsA404BeforeAnyStoreIsAsked() throws Exception {
        for (String path : new String[] {"/api/v1/applications/%C3%A9", "/api/v1/applications/" + TOKEN + "x",
                "/api/v1/applications/" + TOKEN.substring(1) + "/chats", "/api/v1/applications/" + TOKEN.replace('q', '+'),
                "/api/v1/applications/%00" + TOKEN.substring(3), "/api/v1/applications/%EF%BC%91/chats/1"}) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            AtomicBoolean passed = new AtomicBoolean();
            new TokenFormFilter().doFilter(new MockHttpServletRequest("GET", path), response, (req, res) -> passed.set(true));

            assertThat(passed).as(path).isFalse();
            assertThat(response.getStatus()).as(path).isEqualTo(404);
            assertThat(response.getContentType()).startsWith("application/problem+json");
        }
    }

    private static boolean passes(String path) throws Exception {
        AtomicBoolean passed = new AtomicBoolean();
        new TokenFormFilter().doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(),
                (req, res) -> passed.set(true));
        return passed.get();
    }
}
