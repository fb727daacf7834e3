package dev.asyncpatterns.calls;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.UnknownPolicyException;
import dev.asyncpatterns.testsupport.WebSlice;
import reactor.core.publisher.Mono;

/**
 * Section 3's HTTP edge: status codes, validation and problem JSON, with the resilient calls
 * beneath the controller mocked. The policies themselves run in {@code ResiliencePipelineTests}
 * and, over real HTTP, in {@code CallsIntegrationTests}.
 */
@Import(WebSlice.class)
@WebFluxTest(controllers = CallsController.class)
class CallsControllerTests {

    private static final String URL = "http://localhost/sim/delay/1";

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private ResilientCalls calls;

    @MockitoBean
    private PolicyCatalog catalog;

    private WebTestClient.ResponseSpec post(Map<String, ?> body) {
        return client.post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }


    @Test
    void aCallAnswers200WithItsResultAndAttempts() {
        when(calls.call(any())).thenReturn(Mono.just(new CallResponse(CallResult.success(0, URL, 200, null, 3),
                List.of(new Attempt(1, "OK 200", 3, null)))));

        post(Map.of("url", URL))
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .jsonPath("$.result.ok").isEqualTo(true)
            .jsonPath("$.attempts[0].outcome").isEqualTo("OK 200");
    }

    @Test
    void anInvalidBodyAnswers400NamingTheFieldBeforeAnyCall() {
        expectInvalid(post(Map.of("url", "")), "url");
        expectInvalid(post(Map.of("url", "http://localhost/" + "x".repeat(2048))), "url");
        expectInvalid(post(Map.of("url", URL, "retry", "")), "retry");
        expectInvalid(post(Map.of("url", URL, "timeoutMs", 0)), "timeoutMs");
        expectInvalid(post(Map.of("url", URL, "perCallTimeoutMs", 3_600_001)), "perCallTimeoutMs");
        verifyNoInteractions(calls);
    }

    @Test
    void anUnknownInstanceAnswers400NamingItsField() {
        when(calls.call(any())).thenReturn(Mono.error(new UnknownPolicyException("circuitBreaker", "nope")));

        expectInvalid(post(Map.of("url", URL, "circuitBreaker", "nope")), "circuitBreaker");
    }

    @Test
    void anOpenCircuitAnswers503ProblemWithRetryAfter() {
        when(calls.call(any())).thenReturn(Mono.error(ResilientCallFailedException.circuitOpen("fragile", Duration.ofSeconds(7),
                List.of())));

        post(Map.of("url", URL, "circuitBreaker", "fragile"))
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.status").isEqualTo(503);
    }

    @Test
    void aBodyThatIsNotJsonAnswers415Problem() {
        expectProblem(client.post().uri("/api/calls").contentType(MediaType.TEXT_PLAIN).bodyValue(URL).exchange(), 415);
    }

    @Test
    void policiesAnswers200WithTheInstances() {
        when(catalog.snapshotWithGlobal()).thenReturn(Mono.just(new Policies("Retry(CircuitBreaker(call))", List.of(),
                List.of(), List.of(), List.of(), List.of(new Policies.TimeLimiterView("default", 1000)))));

        client.get().uri("/api/policies").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.timeLimiters[0].name").isEqualTo("default");
    }
}
