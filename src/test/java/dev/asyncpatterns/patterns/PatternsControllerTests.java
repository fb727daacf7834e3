package dev.asyncpatterns.patterns;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;
import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Mono;

/**
 * Section 4's HTTP edge: status codes and problem JSON, with the pattern service mocked. The
 * patterns run in their own tests and, over HTTP, in {@code PatternsIntegrationTests}.
 */
@Import(WebSlice.class)
@WebFluxTest(controllers = PatternsController.class)
class PatternsControllerTests {

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private PatternService service;

    private WebTestClient.ResponseSpec run(String name, String params) {
        return client.post().uri("/api/patterns/{name}", name).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(params).exchange();
    }


    @Test
    void theNamesAnswer200() {
        when(service.names()).thenReturn(Set.of("semaphore"));

        client.get().uri("/api/patterns").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$[0]").isEqualTo("semaphore");
    }

    @Test
    void aRunAnswers200WithItsSummaryAndTimeline() {
        when(service.run(eq("semaphore"), any())).thenReturn(Mono.just(new PatternResult("semaphore", 201,
                Map.of("permits", 1), List.of())));

        run("semaphore", "{\"permits\":1}")
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .jsonPath("$.pattern").isEqualTo("semaphore")
            .jsonPath("$.summary.permits").isEqualTo(1)
            .jsonPath("$.timeline").isArray();
    }

    @Test
    void anUnknownPatternAnswers404Problem() {
        when(service.run(eq("nope"), any()))
            .thenReturn(Mono.error(new PatternProblems.PatternNotFoundException("nope", List.of("semaphore"))));

        expectProblem(run("nope", "{}"), 404);
    }

    @Test
    void aRefusedParameterAnswers400NamingIt() {
        when(service.run(eq("semaphore"), any())).thenReturn(Mono.error(new BadRequestException("permits", "too many")));

        expectInvalid(run("semaphore", "{\"permits\":1000000}"), "permits");
    }

    @Test
    void tooManyRunsAnswers429ProblemWithRetryAfter() {
        when(service.run(eq("semaphore"), any())).thenReturn(Mono.error(new PatternProblems.TooManyRunsException(4)));

        expectProblem(run("semaphore", "{}").expectHeader().exists("Retry-After"), 429);
    }

    @Test
    void malformedJsonAnswers400Problem() {
        expectProblem(run("semaphore", "{\"permits\": "), 400);
    }
}
