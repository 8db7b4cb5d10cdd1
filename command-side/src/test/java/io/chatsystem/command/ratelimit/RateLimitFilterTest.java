package io.chatsystem.command.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@link RateLimitFilter} on mock requests and a clock the test moves. */
class RateLimitFilterTest {

    private static final String A = "/api/v1/applications/q1dM1YwKQ2m1b1Kp3d9xWw";
    private static final String B = "/api/v1/applications/Zx8Kp2mQ7vR4tY1uW3eS5d";
    private static final String CLIENT = "203.0.113.7";

    private final AtomicLong clock = new AtomicLong(123 * RateLimiter.SECOND);

    private RateLimitFilter filter(double applicationRate, int applicationBurst, double clientRate, int clientBurst) {
        return new RateLimitFilter(new RateLimits(new RateLimits.PerApplication(applicationRate, applicationBurst),
                new RateLimits.PerClient(clientRate, clientBurst), 100), clock::get, Runnable::run);
    }

    /** A request through the filter: its answer, and whether it went on to the rest of the chain. */
    private record Answer(MockHttpServletResponse response, boolean passed) {

        String header(String name) {
            return response.getHeader(name);
        }
    }

    private static Answer send(RateLimitFilter filter, String method, String path) throws Exception {
        return send(filter, method, path, CLIENT);
    }

    private static Answer send(RateLimitFilter filter, String method, String path, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Answer(response, chain.getRequest() != null);
    }

    @Test
    void aClientOverItsLimitIsAnswered429WithProblemJsonAndTheRateLimitFields() throws Exception {
        RateLimitFilter filter = filter(0, 0, 1, 2);

        Answer first = send(filter, "POST", A + "/chats");
        assertThat(first.passed()).isTrue();
        assertThat(first.header(RateLimitFilter.RATE_LIMIT_POLICY)).isEqualTo("\"client\";q=2;w=2");
        assertThat(first.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=1;t=1");
        Answer second = send(filter, "PUT", A + "/chats/1/messages/1");
        assertThat(second.passed()).isTrue();
        assertThat(second.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=0;t=2");

        Answer refused = send(filter, "DELETE", A + "/chats/1");
        assertThat(refused.passed()).isFalse();
        assertThat(refused.response().getStatus()).isEqualTo(429);
        assertThat(refused.response().getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.response().getContentAsString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\","
                + "\"status\":429,\"detail\":\"over the rate limit of this client's writes: try again in 1 s\"}");
        assertThat(refused.header(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.header(RateLimitFilter.RATE_LIMIT_POLICY)).isEqualTo("\"client\";q=2;w=2");
        assertThat(refused.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=0;t=1");

        clock.addAndGet(RateLimiter.SECOND);
        assertThat(send(filter, "PATCH", A).passed()).as("a second later, one more").isTrue();
        assertThat(send(filter, "POST", A + "/chats").passed()).isFalse();
        assertThat(send(filter, "POST", A + "/chats", "198.51.100.1").passed()).as("another client").isTrue();
    }

    @Test
    void anApplicationOverItsLimitIsRefusedWithoutCostingItsClient() throws Exception {
        RateLimitFilter filter = filter(1, 1, 1, 3);

        Answer first = send(filter, "POST", A + "/chats");
        assertThat(first.passed()).isTrue();
        assertThat(first.header(RateLimitFilter.RATE_LIMIT_POLICY)).as("the tighter limit").isEqualTo("\"application\";q=1;w=1");
        assertThat(first.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"application\";r=0;t=1");

        Answer refused = send(filter, "POST", A + "/chats/1/messages");
        assertThat(refused.passed()).isFalse();
        assertThat(refused.response().getStatus()).isEqualTo(429);
        assertThat(refused.response().getContentAsString())
                .contains("\"detail\":\"over the rate limit of this application's writes: try again in 1 s\"");
        assertThat(refused.header(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.header(RateLimitFilter.RATE_LIMIT_POLICY)).isEqualTo("\"application\";q=1;w=1");
        assertThat(refused.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"application\";r=0;t=1");

        // the refused write was given back to the client: two more of its three fit
        assertThat(send(filter, "POST", B + "/chats").passed()).isTrue();
        assertThat(send(filter, "POST", "/api/v1/applications").passed()).isTrue();
        Answer overClient = send(filter, "POST", "/api/v1/applications");
        assertThat(overClient.passed()).isFalse();
        assertThat(overClient.response().getContentAsString()).contains("this client's writes");
    }

    @Test
    void writesToAnApplicationCountByTheTokenInTheirPath() throws Exception {
        RateLimitFilter filter = filter(1, 3, 0, 0);

        assertThat(send(filter, "POST", A + "/chats").passed()).isTrue();
        assertThat(send(filter, "POST", A + "/chats/1/messages", "198.51.100.1").passed()).isTrue();
        assertThat(send(filter, "PUT", A, "198.51.100.2").passed()).isTrue();
        Answer refused = send(filter, "PUT", A + "/chats/1/messages/2", "198.51.100.3");
        assertThat(refused.response().getStatus()).as("from whichever address").isEqualTo(429);
        assertThat(refused.response().getContentAsString()).contains("this application's writes");

        Answer other = send(filter, "POST", B + "/chats");
        assertThat(other.passed()).isTrue();
        assertThat(other.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"application\";r=2;t=1");
    }

    @Test
    void theCreationOfAnApplicationCountsPerClientOnly() throws Exception {
        RateLimitFilter filter = filter(1, 1, 1, 5);

        for (int i = 0; i < 5; i++) {
            Answer created = send(filter, "POST", "/api/v1/applications");
            assertThat(created.passed()).as("creation %d", i).isTrue();
            assertThat(created.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=" + (4 - i) + ";t=" + (i + 1));
        }
        assertThat(send(filter, "POST", "/api/v1/applications").response().getContentAsString())
                .contains("this client's writes");

        RateLimitFilter perApplicationOnly = filter(1, 1, 0, 0);
        for (int i = 0; i < 5; i++) {
            Answer created = send(perApplicationOnly, "POST", "/api/v1/applications");
            assertThat(created.passed()).isTrue();
            assertThat(created.header(RateLimitFilter.RATE_LIMIT)).isNull();
        }
    }

    @Test
    void readsPassUncounted() throws Exception {
        RateLimitFilter filter = filter(1, 1, 1, 1);

        for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
            for (int i = 0; i < 5; i++) {
                Answer read = send(filter, method, A + "/chats/1/messages");
                assertThat(read.passed()).isTrue();
                assertThat(read.header(RateLimitFilter.RATE_LIMIT)).isNull();
                assertThat(read.header(RateLimitFilter.RATE_LIMIT_POLICY)).isNull();
            }
        }
        assertThat(send(filter, "POST", A + "/chats").passed()).as("no read took the write's place").isTrue();
        assertThat(send(filter, "POST", "/actuator/refresh").passed()).as("not the API").isTrue();
        assertThat(send(filter, "POST", "/actuator/refresh").passed()).isTrue();
    }

    @Test
    void aRateOfZeroSwitchesALimitOff() throws Exception {
        RateLimitFilter off = filter(0, 1, 0, 1);
        for (int i = 0; i < 1000; i++) {
            Answer write = send(off, "POST", A + "/chats/1/messages");
            assertThat(write.passed()).isTrue();
            assertThat(write.header(RateLimitFilter.RATE_LIMIT)).isNull();
        }

        RateLimitFilter applicationsOff = filter(0, 1, 1, 2);
        assertThat(send(applicationsOff, "POST", A + "/chats").header(RateLimitFilter.RATE_LIMIT_POLICY))
                .isEqualTo("\"client\";q=2;w=2");
        send(applicationsOff, "POST", A + "/chats");
        assertThat(send(applicationsOff, "POST", B + "/chats").passed()).isFalse();
    }

    @Test
    void anAdmittedWriteCarriesTheLimitWithFewerRequestsLeft() throws Exception {
        RateLimitFilter filter = filter(10, 100, 1, 3);
        assertThat(send(filter, "POST", A + "/chats").header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=2;t=1");

        RateLimitFilter applicationTighter = filter(1, 3, 10, 100);
        Answer write = send(applicationTighter, "POST", A + "/chats");
        assertThat(write.header(RateLimitFilter.RATE_LIMIT_POLICY)).isEqualTo("\"application\";q=3;w=3");
        assertThat(write.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"application\";r=2;t=1");
    }

    /** Retry-After and the fields are whole seconds: rounded up, so that a client waiting them is not refused again. */
    @Test
    void secondsAreRoundedUp() throws Exception {
        RateLimitFilter filter = filter(0, 0, 0.4, 2);
        Answer first = send(filter, "POST", A + "/chats");
        assertThat(first.header(RateLimitFilter.RATE_LIMIT_POLICY)).isEqualTo("\"client\";q=2;w=5");
        assertThat(first.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=1;t=3");
        send(filter, "POST", A + "/chats");
        clock.addAndGet(RateLimiter.SECOND);
        Answer refused = send(filter, "POST", A + "/chats");
        assertThat(refused.header(HttpHeaders.RETRY_AFTER)).as("1.5 s").isEqualTo("2");
        assertThat(refused.header(RateLimitFilter.RATE_LIMIT)).isEqualTo("\"client\";r=0;t=2");

        RateLimitFilter fast = filter(0, 0, 3, 1);
        send(fast, "POST", A + "/chats");
        assertThat(send(fast, "POST", A + "/chats").header(HttpHeaders.RETRY_AFTER)).as("a third of a second").isEqualTo("1");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() throws Exception {
        assertThat(RateLimitFilter.clientKey("2001:db8:0:7:1:2:3:4")).isEqualTo("2001:db8:0:7::/64");
        assertThat(RateLimitFilter.clientKey("2001:DB8:0000:0007::1%eth0")).isEqualTo("2001:db8:0:7::/64");
        assertThat(RateLimitFilter.clientKey("2001:db8::1")).isEqualTo("2001:db8:0:0::/64");
        assertThat(RateLimitFilter.clientKey("1::2:3:4:5:6:7")).isEqualTo("1:0:2:3::/64");
        assertThat(RateLimitFilter.clientKey("::1")).isEqualTo("0:0:0:0::/64");
        assertThat(RateLimitFilter.clientKey("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(RateLimitFilter.clientKey("::")).isEqualTo("0:0:0:0::/64");
        assertThat(RateLimitFilter.clientKey("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(RateLimitFilter.clientKey("::ffff:203.0.113.7")).isEqualTo("::ffff:203.0.113.7");
        assertThat(RateLimitFilter.clientKey("not:an:address")).isEqualTo("not:an:address");

        RateLimitFilter filter = filter(0, 0, 1, 1);
        assertThat(send(filter, "POST", A + "/chats", "2001:db8:0:7::1").passed()).isTrue();
        assertThat(send(filter, "POST", A + "/chats", "2001:db8:0:7::2").passed()).as("the same /64").isFalse();
        assertThat(send(filter, "POST", A + "/chats", "2001:db8:0:8::1").passed()).as("another /64").isTrue();
    }

    @Test
    void theTokenIsTheFirstSegmentAfterApplications() {
        assertThat(RateLimitFilter.applicationToken("/api/v1/applications")).isNull();
        assertThat(RateLimitFilter.applicationToken("/api/v1/applications/")).isNull();
        assertThat(RateLimitFilter.applicationToken("/api/v1/applications/abc")).isEqualTo("abc");
        assertThat(RateLimitFilter.applicationToken("/api/v1/applications/abc/chats/1/messages")).isEqualTo("abc");
        assertThat(RateLimitFilter.applicationToken("/api/v1/other/abc")).isNull();
    }
}
