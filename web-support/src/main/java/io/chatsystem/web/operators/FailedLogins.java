package io.chatsystem.web.operators;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.chatsystem.web.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits password guessing on the operator endpoints, per client address: after {@code maxFailures}
 * failed logins within {@code window}, the address gets 429 with {@code Retry-After} for {@code lockout},
 * without its credentials being looked at; each lockout of the same address lasts twice the one before,
 * up to {@code maxLockout}. A successful login forgets the address. Logged once per lockout.
 */
final class FailedLogins extends OncePerRequestFilter {

    record Limits(@DefaultValue("5") int maxFailures, @DefaultValue("1m") Duration window,
                  @DefaultValue("2s") Duration lockout, @DefaultValue("5m") Duration maxLockout) {
    }

    /** One address's failures in the current window, and its lockout. Times in nanos. */
    private record Failures(int count, long windowStart, long lockedUntil, int lockouts) {
    }

    private static final Logger log = LoggerFactory.getLogger(FailedLogins.class);
    /** Addresses tracked at most: past it, those neither locked nor failing lately are forgotten. */
    private static final int MAX_TRACKED = 10_000;

    private final Limits limits;
    private final ConcurrentMap<String, Failures> byAddress = new ConcurrentHashMap<>();

    FailedLogins(Limits limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        long now = System.nanoTime();
        Failures failures = byAddress.get(address);
        if (failures != null && failures.lockedUntil() - now > 0) {
            Duration left = Duration.ofNanos(failures.lockedUntil() - now);
            ProblemResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins from this address: "
                    + "try again in " + Math.max(1, (left.toMillis() + 999) / 1000) + " s", left);
            return;
        }
        chain.doFilter(request, response);
        boolean triedCredentials = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        if (triedCredentials && response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            failed(address, System.nanoTime());
        } else if (triedCredentials && response.getStatus() < 400) {
            byAddress.remove(address);
        }
    }

    private void failed(String address, long now) {
        if (byAddress.size() > MAX_TRACKED) {
            byAddress.values().removeIf(old -> old.lockedUntil() - now < 0 && now - old.windowStart() > limits.window().toNanos());
        }
        Failures after = byAddress.compute(address, (key, before) -> {
            if (before == null || now - before.windowStart() > limits.window().toNanos()) {
                return new Failures(1, now, before == null ? 0 : before.lockedUntil(), before == null ? 0 : before.lockouts());
            }
            int count = before.count() + 1;
            if (count < limits.maxFailures()) {
                return new Failures(count, before.windowStart(), before.lockedUntil(), before.lockouts());
            }
            long lockout = Math.min(limits.lockout().toNanos() << Math.min(before.lockouts(), 20), limits.maxLockout().toNanos());
            return new Failures(0, now, now + lockout, before.lockouts() + 1);
        });
        if (after.count() == 0 && after.lockedUntil() - now > 0) {
            log.warn("{} failed operator logins from {} within {}: its logins are refused for {}",
                    limits.maxFailures(), address, limits.window(), Duration.ofNanos(after.lockedUntil() - now));
        }
    }
}
