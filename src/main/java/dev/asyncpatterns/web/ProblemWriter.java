package dev.asyncpatterns.web;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a problem answer is shaped: {@code application/problem+json} whatever the client
 * accepts (an {@code Accept: text/event-stream} must not turn a 406 into an SSE event), and
 * {@code instance} the path that was asked for. The advice returns it as a response entity;
 * the security filters, the firewall and the last-resort exception handler answer before any
 * controller and write it themselves.
 */
@Component
public class ProblemWriter {

    private final JsonMapper jsonMapper;

    public ProblemWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** Writes the problem with the given extra headers; nothing if the response is already committed. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        addressed(problem, exchange);
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().addAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = jsonMapper.writeValueAsBytes(problem);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    /** The problem as a controller advice returns it; the codecs write it as {@link #write} would. */
    static ResponseEntity<Object> entity(ProblemDetail problem, HttpHeaders headers, ServerWebExchange exchange) {
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.addAll(headers);
        // An explicit content type wins over the Accept header when the body is written.
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.getStatus()).headers(problemHeaders).body(addressed(problem, exchange));
    }

    private static ProblemDetail addressed(ProblemDetail problem, ServerWebExchange exchange) {
        if (problem.getInstance() == null) {
            // The raw path of an already parsed request URI, so always a valid URI reference.
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        return problem;
    }
}
