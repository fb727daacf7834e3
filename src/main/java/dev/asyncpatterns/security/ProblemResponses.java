package dev.asyncpatterns.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.asyncpatterns.web.ProblemTypes;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the problem JSON of answers the security filters give before any controller runs
 * (401, 403, 429), in the same shape as the API's other errors: never a login page or a redirect.
 */
@Component
class ProblemResponses {

    static final URI UNAUTHORIZED = ProblemTypes.of("unauthorized");
    static final URI FORBIDDEN = ProblemTypes.of("forbidden");
    static final URI RATE_LIMITED = ProblemTypes.of("rate-limited");
    static final URI QUOTA_EXCEEDED = ProblemTypes.of("quota-exceeded");

    private final JsonMapper jsonMapper;

    ProblemResponses(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** Writes the problem with the given extra headers; nothing if the response is already committed. */
    Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
        response.getHeaders().addAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = jsonMapper.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
