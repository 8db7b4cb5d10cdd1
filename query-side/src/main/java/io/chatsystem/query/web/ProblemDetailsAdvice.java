package io.chatsystem.query.web;

import io.chatsystem.api.common.QueryFailure;
import io.chatsystem.query.NotFoundException;
import io.chatsystem.query.message.TooManyStreamsException;
import io.chatsystem.query.replay.ReplayAlreadyRunningException;
import io.chatsystem.web.StoreCalls;
import io.chatsystem.web.StoreUnavailableAdvice;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error leaves as RFC 9457 problem+json, never with internals. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final StoreUnavailableAdvice unavailable;

    ProblemDetailsAdvice(StoreUnavailableAdvice unavailable) {
        this.unavailable = unavailable;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ReplayAlreadyRunningException.class)
    ProblemDetail replayRunning(ReplayAlreadyRunningException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(TooManyStreamsException.class)
    ResponseEntity<ProblemDetail> tooManyStreams(TooManyStreamsException e) {
        return unavailable.response(e.getMessage());
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

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        // a query handler's failure reaches the controller wrapped by the query bus; over Axon Server
        // only its message and details survive
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof QueryExecutionException failed
                    && failed.getDetails().filter(QueryFailure.UNAVAILABLE::equals).isPresent()) {
                return unavailable.response(failed.getMessage());
            }
        }
        if (StoreCalls.isOutage(e)) {
            log.warn("A store is unavailable: {}", e.toString());
            return unavailable.response("A store this request needs is unavailable. Try again shortly.");
        }
        log.error("Request failed", e);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be answered. Try again later."));
    }
}
