package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

class RequestBodyLimitTest {

    private static final int LIMIT = 16;
    private final RequestBodyLimit filter = new RequestBodyLimit(LIMIT);

    @Test
    void aBodyAnnouncedOverTheLimitIs413BeforeAnythingReadsIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/applications");
        request.setContent(new byte[LIMIT + 1]);
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> { throw new AssertionError("passed on"); });

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"status\":413", "at most 16");
        assertThat(response.getHeader("Connection")).isEqualTo("close");
    }

    @Test
    void aBodyAtTheLimitIsPassedOnAsItIs() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/applications");
        request.setContent(new byte[LIMIT]);
        AtomicReference<Object> passed = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> passed.set(req));

        assertThat(passed.get()).isSameAs(request);
    }

    @Test
    void aBodyOfUnannouncedLengthStopsWhereItGrowsPastTheLimit() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/applications") {
            @Override
            public long getContentLengthLong() {
                return -1; // chunked
            }
        };
        request.setContent(new byte[LIMIT * 4]);
        AtomicReference<HttpServletRequest> passed = new AtomicReference<>();
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> passed.set((HttpServletRequest) req));

        var body = passed.get().getInputStream();
        assertThat(body.readNBytes(LIMIT)).hasSize(LIMIT);
        assertThatThrownBy(body::read).isInstanceOf(MaxUploadSizeExceededException.class);
    }
}
