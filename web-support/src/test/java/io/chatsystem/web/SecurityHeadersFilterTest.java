package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class SecurityHeadersFilterTest {

    private static final String CHAT = "/api/v1/applications/q1dM1YwKQ2m1b1Kp3d9xWw/chats/1";

    @Test
    void everyAnswerIsNotToBeSniffedAndAReadKeepsItsCaching() throws Exception {
        MockHttpServletResponse response = answer("GET", CHAT, (req, res) -> res.setContentType("application/json"));

        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("Cache-Control")).isNull();
    }

    @Test
    void theAnswerToAWriteIsNotStored() throws Exception {
        for (String method : new String[] {"POST", "PUT"}) {
            MockHttpServletResponse response = answer(method, CHAT + "/messages", (req, res) -> {
                ((HttpServletResponse) res).setStatus(201);
                res.setContentType("application/json");
            });

            assertThat(response.getHeader("X-Content-Type-Options")).as(method).isEqualTo("nosniff");
            assertThat(response.getHeader("Cache-Control")).as(method).isEqualTo("no-store");
        }
    }

    /** However the content type is set: Spring MVC adds it as a header, the filters set it. */
    @Test
    void aProblemIsNotStored() throws Exception {
        FilterChain[] problems = {
                (req, res) -> res.setContentType("application/problem+json"),
                (req, res) -> ((HttpServletResponse) res).addHeader("Content-Type", "application/problem+json;charset=UTF-8"),
                (req, res) -> ((HttpServletResponse) res).setHeader("content-type", "application/problem+json"),
                (req, res) -> new TokenFormFilter().doFilter(req, res, (r, s) -> { })};
        for (FilterChain problem : problems) {
            MockHttpServletResponse response = answer("GET", "/api/v1/applications/not-a-token", problem);

            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void aLiveStreamKeepsItsOwnCaching() throws Exception {
        MockHttpServletResponse response = answer("GET", CHAT + "/messages/stream", (req, res) -> {
            res.setContentType("text/event-stream");
            ((HttpServletResponse) res).setHeader("Cache-Control", "no-cache");
        });

        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
    }

    private static MockHttpServletResponse answer(String method, String path, FilterChain chain) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new SecurityHeadersFilter().doFilter(new MockHttpServletRequest(method, path), response, chain);
        return response;
    }
}
