package dev.asyncpatterns.web;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last line: errors raised outside any controller (web filters, the codec layer before
 * dispatch) still answer problem JSON instead of Boot's HTML or whitelabel error. Ordered
 * before Boot's own {@code ErrorWebExceptionHandler} (order -1), after {@link ClientHangUps}.
 */
@Component
@Order(-2)
class ProblemWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    private final JsonMapper jsonMapper;

    ProblemWebExceptionHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        ProblemDetail problem = toProblem(ex);
        problem.setInstance(null);
        response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
        if (ex instanceof ErrorResponse errorResponse) {
            response.getHeaders().addAll(errorResponse.getHeaders());
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = jsonMapper.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private static ProblemDetail toProblem(Throwable ex) {
        if (ex instanceof ErrorResponse errorResponse) {
            ProblemDetail body = errorResponse.getBody();
            if (body.getType() == null || "about:blank".equals(body.getType().toString())) {
                body.setType(body.getStatus() == 404 ? ProblemTypes.NOT_FOUND : ProblemTypes.of("http-" + body.getStatus()));
            }
            return body;
        }
        log.error("Unhandled error outside a controller", ex);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL,
                "Internal error", "The service failed unexpectedly; the error has been logged.");
    }
}
