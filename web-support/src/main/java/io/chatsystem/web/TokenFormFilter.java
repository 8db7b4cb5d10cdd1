package io.chatsystem.web;

import java.io.IOException;

import io.chatsystem.api.application.ApplicationToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A path under {@code /api/v1/applications/{token}} whose token is not of a token's form
 * ({@link ApplicationToken}) names no application: 404 at once, before any store is asked (a token of
 * other characters once reached MariaDB, whose token column is ASCII, as a 500 with a stack trace).
 */
public final class TokenFormFilter extends OncePerRequestFilter {

    private static final String APPLICATIONS = "/api/v1/applications/";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (path.startsWith(APPLICATIONS) && path.length() > APPLICATIONS.length()) {
            int end = path.indexOf('/', APPLICATIONS.length());
            String token = path.substring(APPLICATIONS.length(), end < 0 ? path.length() : end);
            if (!ApplicationToken.isWellFormed(token)) {
                ProblemResponses.write(response, HttpStatus.NOT_FOUND, "no application with that token", null);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
