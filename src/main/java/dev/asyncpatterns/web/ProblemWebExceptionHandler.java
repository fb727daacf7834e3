package dev.asyncpatterns.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;

/**
 * The last line: errors raised outside any controller (web filters, the codec layer before
 * dispatch) still answer problem JSON instead of Boot's HTML or whitelabel error. Ordered
 * before Boot's own {@code ErrorWebExceptionHandler} (order -1), after {@link ClientHangUps}.
 */
@Component
@Order(-2)
class ProblemWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    private final ProblemWriter writer;

    ProblemWebExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        HttpHeaders headers = ex instanceof ErrorResponse errorResponse ? errorResponse.getHeaders() : HttpHeaders.EMPTY;
        return writer.write(exchange, toProblem(ex), headers);
    }

    private static ProblemDetail toProblem(Throwable ex) {
        if (ex instanceof ErrorResponse errorResponse) {
            ProblemDetail body = errorResponse.getBody();
            if (body.getType() == null || "about:blank".equals(body.getType().toString())) {
                body.setType(ProblemTypes.forStatus(body.getStatus()));
            }
            return body;
        }
        log.error("Unhandled error outside a controller", ex);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL,
                "Internal error", "The service failed unexpectedly; the error has been logged.");
    }
}
