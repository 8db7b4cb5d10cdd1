package io.chatsystem.web;

import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A store that is down is a 503 with {@code Retry-After} ({@code chat.web.retry-after}), on both sides. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StoreUnavailableAdvice {

    private final Duration retryAfter;

    public StoreUnavailableAdvice(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(StoreUnavailableException e) {
        return response(e.getMessage());
    }

    /** The 503 answer, for the apps' own handlers that recognise an outage ({@link StoreCalls#isOutage}). */
    public ResponseEntity<ProblemDetail> response(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
    }
}
