package dev.asyncpatterns.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemWebExceptionHandlerTests {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final ProblemWebExceptionHandler handler = new ProblemWebExceptionHandler(new ProblemWriter(mapper));

    private JsonNode handle(MockServerWebExchange exchange, Throwable error) {
        StepVerifier.create(handler.handle(exchange, error)).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return mapper.readTree(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)));
    }

    /** The same {@code instance} as the advice's and the security filters' answers: the path asked for. */
    @Test
    void anErrorOutsideAControllerNamesThePathAsItsInstance() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs/abc"));

        JsonNode problem = handle(exchange, new ResponseStatusException(HttpStatus.URI_TOO_LONG));

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.URI_TOO_LONG);
        assertThat(problem.path("instance").asString()).isEqualTo("/api/jobs/abc");
        assertThat(problem.path("type").asString()).isEqualTo(ProblemTypes.forStatus(414).toString());
        assertThat(problem.path("status").asInt()).isEqualTo(414);
    }

    @Test
    void anUnexpectedErrorIsA500WithoutItsMessage() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs"));

        JsonNode problem = handle(exchange, new IllegalStateException("secret internals"));

        assertThat(problem.path("type").asString()).isEqualTo(ProblemTypes.INTERNAL.toString());
        assertThat(problem.toString()).doesNotContain("secret internals");
        assertThat(problem.path("instance").asString()).isEqualTo("/api/jobs");
    }
}
