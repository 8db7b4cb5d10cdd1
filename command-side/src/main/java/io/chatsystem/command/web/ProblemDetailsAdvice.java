package io.chatsystem.command.web;

import io.chatsystem.api.common.RejectionReason;
import io.chatsystem.web.StoreCalls;
import io.chatsystem.web.StoreUnavailableAdvice;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.databind.DatabindException;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem+json. Spring's base class covers malformed requests
 * (400, 405, 415 ...); this adds the refusals of the domain and a last resort without internals.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final StoreUnavailableAdvice unavailable;

    ProblemDetailsAdvice(StoreUnavailableAdvice unavailable) {
        this.unavailable = unavailable;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON of the expected shape"
                        + (e.getCause() instanceof DatabindException bind ? ": " + describe(bind) : ""));
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** Names the offending field without echoing parser internals. */
    private static String describe(DatabindException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse(null);
        return field == null ? "malformed JSON" : "field '" + field + "' has the wrong type";
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> rejected(CommandExecutionException e) {
        RejectionReason reason = e.getDetails()
                .filter(RejectionReason.class::isInstance)
                .map(RejectionReason.class::cast)
                .orElse(null);
        if (reason == null) {
            return unexpected(e);
        }
        HttpStatus status = switch (reason) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID, KEY_REUSED -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, e.getMessage()));
    }

    /** Spring Security's firewall refuses a header value it will not pass on (control or non-ASCII bytes). */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejectedRequest(RequestRejectedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "A header or the path holds characters that are not allowed");
    }

    /** Tomcat decodes query parameters lazily, when the controller first asks for one. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "A query parameter is not valid UTF-8 after percent-decoding");
    }

    /**
     * Another write to the same aggregate won every retry (only possible when several command sides
     * write to one stream without Axon Server's routing, under heavy contention). Nothing was written.
     */
    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ProblemDetail lostRace(Exception e) {
        log.warn("A command lost every retry against concurrent writes: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Concurrent writes to the same chat or application kept winning; nothing was written. Try again.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (StoreCalls.isOutage(e)) {
            log.warn("The event store is unavailable: {}", e.toString());
            return unavailable.response("The event store is unavailable. Try again shortly.");
        }
        log.error("Request failed", e);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be processed. Try again later."));
    }
}
