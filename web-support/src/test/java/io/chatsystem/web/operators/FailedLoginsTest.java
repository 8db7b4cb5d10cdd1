package io.chatsystem.web.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class FailedLoginsTest {

    private static final Duration LOCKOUT = Duration.ofMillis(300);

    private final FailedLogins logins = new FailedLogins(new FailedLogins.Limits(3, Duration.ofMinutes(1), LOCKOUT,
            Duration.ofSeconds(10)));
    private final AtomicInteger checked = new AtomicInteger();
    /** The rest of the chain: checks the credential, "right" being the right password. */
    private final FilterChain credentialCheck = (request, response) -> {
        checked.incrementAndGet();
        String authorization = ((MockHttpServletRequest) request).getHeader("Authorization");
        ((HttpServletResponse) response).setStatus("right".equals(authorization) ? 200 : 401);
    };

    @Test
    void afterTooManyFailuresAnAddressIsRefusedWithoutACheckUntilItsLockoutPassed() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(login("1.2.3.4", "wrong").getStatus()).isEqualTo(401);
        }
        MockHttpServletResponse refused = login("1.2.3.4", "right");

        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(checked).as("credentials checked").hasValue(3);
        assertThat(login("5.6.7.8", "right").getStatus()).as("another address").isEqualTo(200);

        Thread.sleep(LOCKOUT.toMillis() + 50);
        assertThat(login("1.2.3.4", "right").getStatus()).isEqualTo(200);
    }

    @Test
    void eachLockoutOfAnAddressLastsTwiceTheOneBefore() throws Exception {
        for (int i = 0; i < 3; i++) {
            login("1.2.3.4", "wrong");
        }
        Thread.sleep(LOCKOUT.toMillis() + 50);
        for (int i = 0; i < 3; i++) {
            login("1.2.3.4", "wrong");
        }
        Thread.sleep(LOCKOUT.toMillis() + 50);
        assertThat(login("1.2.3.4", "right").getStatus()).as("still locked: the second lockout is twice as long").isEqualTo(429);
    }

    @Test
    void requestsWithoutCredentialsAndSuccessesDoNotCount() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login("1.2.3.4", null).getStatus()).isEqualTo(401);
        }
        login("1.2.3.4", "wrong");
        login("1.2.3.4", "wrong");
        login("1.2.3.4", "right");
        login("1.2.3.4", "wrong");
        login("1.2.3.4", "wrong");

        assertThat(login("1.2.3.4", "right").getStatus()).isEqualTo(200);
    }

    private MockHttpServletResponse login(String address, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin/projections");
        request.setRemoteAddr(address);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        logins.doFilter(request, response, credentialCheck);
        return response;
    }
}
