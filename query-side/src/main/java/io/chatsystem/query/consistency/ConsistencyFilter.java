package io.chatsystem.query.consistency;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import io.chatsystem.axon.ConsistencyToken;
import io.chatsystem.query.search.SearchVisibility;
import io.chatsystem.web.ProblemResponses;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;

/**
 * Read your own writes. A GET of the public API that carries a write's {@code Consistency-Token} (header,
 * or {@code consistency_token} parameter for an {@code EventSource}) goes on to its controller only once
 * every read model the path reads has processed that write ({@link ConsistentReads}); meanwhile it holds
 * no thread (servlet async, then dispatched again). A search also waits for the index to show what was
 * indexed. Past the timeout: 503 with {@code Retry-After}; a token that is not one: 400. A GET without a
 * token passes straight through.
 *
 * <p>The token is left in the request attribute {@link #WRITE} for the controllers, which then show
 * counts from their figures rather than from the columns flushed in bulk.
 */
public final class ConsistencyFilter implements Filter {

    /** Request attribute: the {@link ConsistencyToken} the read waited for. */
    public static final String WRITE = "io.chatsystem.query.consistency.write";

    private static final String APPLICATION = "/api/v1/applications/[^/]+";
    private static final String CHAT = APPLICATION + "/chats/[^/]+";
    /** What each path reads (projection names), first match wins; the audit reads the event store itself. */
    private static final Map<Pattern, Set<String>> READS = reads();

    private final ConsistentReads reads;
    private final SearchVisibility search;
    private final Duration retryAfter;

    public ConsistencyFilter(ConsistentReads reads, SearchVisibility search, Duration retryAfter) {
        this.reads = reads;
        this.search = search;
        this.retryAfter = retryAfter;
    }

    private static Map<Pattern, Set<String>> reads() {
        Map<Pattern, Set<String>> reads = new LinkedHashMap<>();
        reads.put(Pattern.compile(CHAT + "/messages/search"), Set.of("chats", "search"));
        reads.put(Pattern.compile(CHAT + "/messages(/.*)?"), Set.of("chats", "messages"));
        reads.put(Pattern.compile(CHAT + "/events"), Set.of());
        reads.put(Pattern.compile(CHAT), Set.of("chats", "counts"));
        reads.put(Pattern.compile(APPLICATION + "/chats"), Set.of("applications", "chats", "counts"));
        reads.put(Pattern.compile(APPLICATION + "/events"), Set.of());
        reads.put(Pattern.compile("/api/v1/applications(/[^/]+)?"), Set.of("applications", "counts"));
        return reads;
    }

    /** The projections a GET of {@code path} reads (none for paths that read no projection). */
    static Set<String> projectionsRead(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Map.Entry<Pattern, Set<String>> read : READS.entrySet()) {
            if (read.getKey().matcher(trimmed).matches()) {
                return read.getValue();
            }
        }
        return Set.of();
    }

    /** Every projection some path reads: checked against the ones that exist at start-up. */
    public static Set<String> projectionsNamed() {
        return READS.values().stream().flatMap(Set::stream).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The {@code consistency_token} query parameter, read from the query string itself: asking the servlet
     * request for a parameter would parse them all here, and a query string that is not valid UTF-8 would
     * then no longer reach the controller as the 400 it is. A token is ASCII, so it needs no decoding.
     */
    static String parameter(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(ConsistencyToken.PARAMETER + "=")) {
                return pair.substring(ConsistencyToken.PARAMETER.length() + 1);
            }
        }
        return null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String value = request.getHeader(ConsistencyToken.HEADER);
        if (value == null) {
            value = parameter(request.getQueryString());
        }
        if (value == null || !"GET".equals(request.getMethod()) || request.getAttribute(WRITE) != null) {
            chain.doFilter(request, response);
            return;
        }
        ConsistencyToken write;
        try {
            write = ConsistencyToken.parse(value);
        } catch (IllegalArgumentException e) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, e.getMessage(), null);
            return;
        }
        request.setAttribute(WRITE, write);
        Set<String> projections = projectionsRead(request.getRequestURI());
        boolean searches = projections.contains("search");
        if (!searches && reads.processedHere(write, projections)) {
            chain.doFilter(request, response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        // the wait ends at its own deadline; this one only keeps the container from ending it first
        async.setTimeout(reads.timeout().plusSeconds(5).toMillis());
        async.addListener(new TimeoutAnswers());
        reads.await(write, projections)
                .thenCompose(processed -> processed && searches ? search.afterNow() : CompletableFuture.completedFuture(processed))
                .whenComplete((processed, failure) -> {
                    if (Boolean.TRUE.equals(processed)) {
                        async.dispatch();
                    } else {
                        answerUnavailable(async);
                    }
                });
    }

    private void answerUnavailable(AsyncContext async) {
        try {
            ProblemResponses.write((HttpServletResponse) async.getResponse(), HttpStatus.SERVICE_UNAVAILABLE,
                    "The read models have not caught up with the write of this Consistency-Token within "
                            + reads.timeout().toSeconds() + " s. Try again shortly.", retryAfter);
        } catch (IOException | IllegalStateException e) {
            // the client went away
        } finally {
            async.complete();
        }
    }

    /** The container's own timeout (a backstop): answered as the wait's would be. */
    private final class TimeoutAnswers implements AsyncListener {
        @Override
        public void onTimeout(AsyncEvent event) {
            answerUnavailable(event.getAsyncContext());
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
