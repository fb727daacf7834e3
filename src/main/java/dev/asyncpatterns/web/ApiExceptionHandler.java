package dev.asyncpatterns.web;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.reactive.resource.NoResourceFoundException;

import reactor.core.publisher.Mono;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure of an API call into an RFC 9457 problem: validation errors list
 * {@code errors: [{field, message}]}, framework errors get a stable {@code type}, and an
 * unexpected exception becomes a 500 whose detail never carries a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ClientHangUps hangUps;

    ApiExceptionHandler(ClientHangUps hangUps) {
        this.hangUps = hangUps;
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return validationProblem(FieldError.of(ex), headers, exchange, ex);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status,
            ServerWebExchange exchange) {
        List<FieldError> errors = ex.getParameterValidationResults().stream()
            .flatMap(result -> result.getResolvableErrors().stream()
                .map(error -> new FieldError(parameterName(result), message(error))))
            .toList();
        return validationProblem(errors, headers, exchange, ex);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (cause(ex, DataBufferLimitException.class) != null) {
            ProblemDetail problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
                    "Request body too large", "The request body exceeds the configured maximum size.");
            return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, exchange);
        }
        if (ex instanceof MissingRequestValueException missing) {
            return validationProblem(List.of(new FieldError(missing.getName(), "is required")), headers,
                    exchange, ex);
        }
        MismatchedInputException mismatch = cause(ex, MismatchedInputException.class);
        if (mismatch != null && !JsonFieldPath.of(mismatch).isEmpty()) {
            return validationProblem(List.of(new FieldError(JsonFieldPath.of(mismatch), mismatchMessage(mismatch))),
                    headers, exchange, ex);
        }
        if (ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null
                && ex.getCause() instanceof org.springframework.beans.TypeMismatchException) {
            return validationProblem(List.of(new FieldError(ex.getMethodParameter().getParameterName(),
                    "has an invalid value")), headers, exchange, ex);
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
                "Malformed request", malformedDetail(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleUnsupportedMediaTypeStatusException(
            UnsupportedMediaTypeStatusException ex, HttpHeaders headers, HttpStatusCode status,
            ServerWebExchange exchange) {
        ex.getBody().setType(ProblemTypes.UNSUPPORTED_MEDIA_TYPE);
        return super.handleUnsupportedMediaTypeStatusException(ex, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (ex instanceof NoResourceFoundException) {
            ex.getBody().setType(ProblemTypes.NOT_FOUND);
            ex.getBody().setDetail("No endpoint at " + exchange.getRequest().getPath().value());
        }
        // Spring 7 reports a body over the codec limit as ContentTooLargeException, not a bare
        // DataBufferLimitException: give it the same type and detail.
        if (ex.getStatusCode().value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            ex.getBody().setType(ProblemTypes.PAYLOAD_TOO_LARGE);
            ex.getBody().setDetail("The request body exceeds the configured maximum size.");
        }
        return super.handleResponseStatusException(ex, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMethodNotAllowedException(MethodNotAllowedException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ex.getBody().setType(ProblemTypes.METHOD_NOT_ALLOWED);
        return super.handleMethodNotAllowedException(ex, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleNotAcceptableStatusException(NotAcceptableStatusException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ex.getBody().setType(ProblemTypes.NOT_ACCEPTABLE);
        return super.handleNotAcceptableStatusException(ex, headers, status, exchange);
    }

    /**
     * A header the firewall refuses is only checked when read, so a handler can be the first to
     * meet it: the same 400 as a refusal before the filters.
     */
    @ExceptionHandler(ServerExchangeRejectedException.class)
    public Mono<ResponseEntity<Object>> handleRejected(ServerExchangeRejectedException ex, ServerWebExchange exchange) {
        return handleExceptionInternal(ex, FirewallRejections.problem(ex), new HttpHeaders(), HttpStatus.BAD_REQUEST,
                exchange);
    }

    /**
     * A body still arriving after {@code asyncpatterns.http.read-timeout} ({@link BodyReadTimeout})
     * fails the read of the handler waiting for it: 408, written before the connection is closed.
     */
    @ExceptionHandler(BodyReadTimeoutException.class)
    public Mono<ResponseEntity<Object>> handleBodyReadTimeout(BodyReadTimeoutException ex, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.of(HttpStatus.REQUEST_TIMEOUT, ProblemTypes.REQUEST_TIMEOUT,
                "Request timeout", "The request did not arrive in full within asyncpatterns.http.read-timeout.");
        HttpHeaders headers = new HttpHeaders();
        headers.setConnection("close");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.REQUEST_TIMEOUT, exchange);
    }

    /**
     * Anything not mapped above is a bug: log it with its trace, answer without one. A client that
     * hung up is not one, and there is no one to answer.
     */
    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        if (hangUps.record(exchange, ex)) {
            return Mono.empty();
        }
        log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL,
                "Internal error", "The service failed unexpectedly; the error has been logged.");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, exchange);
    }

    /** Every answer of this advice is a problem, shaped by the one problem writer. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, @Nullable HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            return Mono.just(ProblemWriter.entity(problem, headers != null ? headers : HttpHeaders.EMPTY, exchange));
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }

    private Mono<ResponseEntity<Object>> validationProblem(List<FieldError> errors, HttpHeaders headers,
            ServerWebExchange exchange, Exception ex) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
            .reduce((a, b) -> a + "; " + b).orElse("Invalid request");
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request", detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    private static String parameterName(ParameterValidationResult result) {
        String name = result.getMethodParameter().getParameterName();
        return name != null ? name : "parameter " + result.getMethodParameter().getParameterIndex();
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }

    /** Names what could not be read without echoing parser internals (class names, offsets). */
    private static String malformedDetail(ServerWebInputException ex) {
        return ex.getReason() != null && !ex.getReason().isBlank()
                ? ex.getReason().split(":")[0]
                : "The request could not be read.";
    }

    /**
     * An unknown property names itself and the fields there are (a typo such as {@code timeOut}
     * must not be silently dropped); any other mismatch is a value of the wrong kind.
     */
    private static String mismatchMessage(MismatchedInputException mismatch) {
        if (mismatch instanceof UnrecognizedPropertyException unknown && unknown.getKnownPropertyIds() != null) {
            return "is not a known field; known fields: " + unknown.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        return mismatch instanceof UnrecognizedPropertyException ? "is not a known field" : "has an invalid value";
    }

    private static <T extends Throwable> @Nullable T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
