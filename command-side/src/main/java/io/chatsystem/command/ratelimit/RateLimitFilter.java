package io.chatsystem.command.ratelimit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.chatsystem.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits the rate of writes ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under {@code /api/v1}) per
 * client address and per application (the token in {@code /api/v1/applications/{token}/…}; the creation of an
 * application counts per address only), with a {@link RateLimiter} each; reads pass uncounted.
 *
 * <p>A write over a limit is answered 429 at once, before its body is read, as problem+json naming the limit,
 * with {@code Retry-After} and the {@code RateLimit} and {@code RateLimit-Policy} fields of the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers-11): {@code RateLimit-Policy: "client";q=2000;w=2} (the burst, and the
 * seconds an empty bucket takes to fill) and {@code RateLimit: "client";r=0;t=1} (requests left, and seconds until
 * the bucket is full again, on a 429 until the next request may go: never past {@code Retry-After}). An admitted
 * write carries the two fields of whichever limit has fewer requests left, so that a client can pace itself.
 * A write refused by the application's limit does not count against its client's.
 *
 * <p>The client address is the request's ({@code server.forward-headers-strategy: native}: the one the gateway
 * saw); an IPv6 client counts by its /64, which a subscriber usually has whole and could otherwise hop around
 * in. In-memory, per instance: see {@link RateLimiter}. Refusals are logged at most once a minute.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String RATE_LIMIT = "RateLimit";
    static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    private static final String API = "/api/v1/";
    private static final String APPLICATIONS = "/api/v1/applications/";
    private static final long REPORT_INTERVAL = 60 * RateLimiter.SECOND;
    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    /** A limit in force: its buckets, its name in the fields, and whose writes it limits. */
    private static final class Policy {
        final String name;
        final String whose;
        final RateLimiter buckets;
        final String policyField;

        Policy(String name, String whose, RateLimiter buckets) {
            this.name = name;
            this.whose = whose;
            this.buckets = buckets;
            this.policyField = "\"" + name + "\";q=" + buckets.burst() + ";w=" + buckets.windowSeconds();
        }

        String rateLimitField(long remaining, long seconds) {
            return "\"" + name + "\";r=" + remaining + ";t=" + seconds;
        }
    }

    /** Null where off. */
    private final Policy perApplication;
    private final Policy perClient;
    private final LongSupplier nanoTime;
    private final AtomicLong refusedSinceReport = new AtomicLong();
    private final AtomicLong nextReport;

    /** {@code nanoTime} and {@code sweeper}: see {@link RateLimiter}. */
    RateLimitFilter(RateLimits limits, LongSupplier nanoTime, Executor sweeper) {
        this.perApplication = limits.perApplication().isOn() ? new Policy("application", "this application's writes",
                buckets(limits.perApplication(), limits.maxTrackedKeys(), nanoTime, sweeper)) : null;
        this.perClient = limits.perClient().isOn() ? new Policy("client", "this client's writes",
                buckets(limits.perClient(), limits.maxTrackedKeys(), nanoTime, sweeper)) : null;
        this.nanoTime = nanoTime;
        this.nextReport = new AtomicLong(nanoTime.getAsLong());
    }

    private static RateLimiter buckets(RateLimits.Limit limit, int maxKeys, LongSupplier nanoTime, Executor sweeper) {
        return new RateLimiter(limit.rate(), limit.burst(), maxKeys, nanoTime, sweeper);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return perApplication == null && perClient == null || !isWrite(request.getMethod())
                || !request.getRequestURI().startsWith(API);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = null;
        RateLimiter.Decision byClient = null;
        if (perClient != null) {
            client = clientKey(request.getRemoteAddr());
            byClient = perClient.buckets.acquire(client);
            if (!byClient.admitted()) {
                refuse(response, perClient, byClient, client);
                return;
            }
        }
        String application = perApplication == null ? null : applicationToken(request.getRequestURI());
        RateLimiter.Decision byApplication = null;
        if (application != null) {
            byApplication = perApplication.buckets.acquire(application);
            if (!byApplication.admitted()) {
                if (byClient != null) {
                    perClient.buckets.refund(client);
                }
                refuse(response, perApplication, byApplication, null);
                return;
            }
        }
        if (byApplication != null && (byClient == null || byApplication.remaining() <= byClient.remaining())) {
            advertise(response, perApplication, byApplication);
        } else if (byClient != null) {
            advertise(response, perClient, byClient);
        }
        chain.doFilter(request, response);
    }

    private static boolean isWrite(String method) {
        return HttpMethod.POST.matches(method) || HttpMethod.PUT.matches(method) || HttpMethod.PATCH.matches(method)
                || HttpMethod.DELETE.matches(method);
    }

    /** The token of {@code /api/v1/applications/{token}/…}, or null (the creation of an application, another path). */
    static String applicationToken(String path) {
        if (!path.startsWith(APPLICATIONS)) {
            return null;
        }
        int end = path.indexOf('/', APPLICATIONS.length());
        String token = path.substring(APPLICATIONS.length(), end < 0 ? path.length() : end);
        return token.isEmpty() ? null : token;
    }

    /**
     * The key of a client address: an IPv4 address as it is (so an IPv4-mapped IPv6 one), an IPv6 address
     * its /64 prefix ({@code 2001:db8:0:7::/64}). Anything else as it is.
     */
    static String clientKey(String address) {
        if (address == null || address.indexOf(':') < 0 || address.indexOf('.') >= 0) {
            return address == null ? "" : address;
        }
        int zone = address.indexOf('%');
        String ip = zone < 0 ? address : address.substring(0, zone);
        int gap = ip.indexOf("::");
        String[] left = gap == 0 ? new String[0] : (gap < 0 ? ip : ip.substring(0, gap)).split(":");
        String[] right = gap < 0 || gap + 2 == ip.length() ? new String[0] : ip.substring(gap + 2).split(":");
        StringBuilder prefix = new StringBuilder(24);
        try {
            for (int i = 0; i < 4; i++) {
                String group = i < left.length ? left[i] : i >= 8 - right.length ? right[i - (8 - right.length)] : "0";
                prefix.append(Integer.toHexString(Integer.parseInt(group, 16))).append(':');
            }
        } catch (NumberFormatException notAnAddress) {
            return address;
        }
        return prefix.append(":/64").toString();
    }

    private static void advertise(HttpServletResponse response, Policy policy, RateLimiter.Decision decision) {
        response.setHeader(RATE_LIMIT_POLICY, policy.policyField);
        response.setHeader(RATE_LIMIT, policy.rateLimitField(decision.remaining(), seconds(decision.nanosUntilFull())));
    }

    private void refuse(HttpServletResponse response, Policy policy, RateLimiter.Decision decision, String client)
            throws IOException {
        long seconds = seconds(decision.retryAfterNanos());
        response.setHeader(RATE_LIMIT_POLICY, policy.policyField);
        response.setHeader(RATE_LIMIT, policy.rateLimitField(0, seconds));
        ProblemResponses.write(response, HttpStatus.TOO_MANY_REQUESTS,
                "over the rate limit of " + policy.whose + ": try again in " + seconds + " s", Duration.ofSeconds(seconds));
        report(policy, client);
    }

    /** Whole seconds, rounded up, at least 1: as {@code Retry-After} and the fields' {@code t} give them. */
    static long seconds(long nanos) {
        return Math.max(1, (nanos + RateLimiter.SECOND - 1) / RateLimiter.SECOND);
    }

    /** A line for the operators at the first refusal and then at most once a minute, with the count since the last. */
    private void report(Policy policy, String client) {
        refusedSinceReport.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = nextReport.get();
        if (now - due >= 0 && nextReport.compareAndSet(due, now + REPORT_INTERVAL)) {
            log.warn("{} writes refused over their rate limits since the last report; the latest over the per-{} limit{}",
                    refusedSinceReport.getAndSet(0), policy.name, client == null ? "" : ", from " + client);
        }
    }
}
