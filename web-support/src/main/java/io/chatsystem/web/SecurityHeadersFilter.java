package io.chatsystem.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers on every answer, whoever writes it (a controller, an advice, a filter, an async dispatch, an error
 * page). {@code X-Content-Type-Options: nosniff}: a browser takes an answer only as the type it says, never
 * as a script or a page it guessed. {@code Cache-Control: no-store} on the answers to writes (they carry a
 * new application's token) and on every problem answer: no browser or shared cache keeps them. Reads keep
 * their own caching (a live stream's {@code no-cache}).
 *
 * <p>Set before the request goes on, so they are there however the answer is written; whether an answer is
 * a problem is known only once its content type is set, so that is watched.
 */
public final class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String NOSNIFF = "nosniff";
    static final String NO_STORE = "no-store";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(CONTENT_TYPE_OPTIONS, NOSNIFF);
        if (!HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod())) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        }
        chain.doFilter(request, new ProblemsNotStored(response));
    }

    /** An error page (Spring Boot's {@code /error}) is an answer too. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    /** Adds {@code Cache-Control: no-store} once the answer's content type says it is a problem. */
    private static final class ProblemsNotStored extends HttpServletResponseWrapper {

        ProblemsNotStored(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setContentType(String type) {
            super.setContentType(type);
            noStoreIfProblem(type);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, value);
            if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                noStoreIfProblem(value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, value);
            if (HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                noStoreIfProblem(value);
            }
        }

        private void noStoreIfProblem(String type) {
            String problem = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
            if (type != null && type.regionMatches(true, 0, problem, 0, problem.length())) {
                super.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
            }
        }
    }
}
