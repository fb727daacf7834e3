package dev.asyncpatterns.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;

import reactor.test.StepVerifier;

@Import({WebSlice.class, StatusRoute.class})
@WebFluxTest(controllers = SimController.class)
class SimControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties(SimProperties.class)
    static class Config {
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private SimController controller;

    @Test
    void delayAnswersWithTheDelayAfterwards() {
        client.get().uri("/sim/delay/20").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.delayedMs").isEqualTo(20);
    }

    @Test
    void delayWaitsOnATimerForExactlyTheDelay() {
        StepVerifier.withVirtualTime(() -> controller.delay(60_000))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(59_999))
            .thenAwait(Duration.ofMillis(1))
            .expectNext(new SimController.Delayed(60_000))
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void aDelayOverTheMaximumIsABadRequestNamingMs() {
        badRequest("/sim/delay/60001", "ms");
        badRequest("/sim/delay/-1", "ms");
    }

    @Test
    void statusAnswersTheCodeWithRetryAfterWhenAsked() {
        client.get().uri("/sim/status/503?retryAfter=2").exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals("Retry-After", "2")
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectHeader().contentLength(14)
            .expectBody().json("{\"status\": 503}", JsonCompareMode.STRICT);
        client.get().uri("/sim/status/200").exchange()
            .expectStatus().isOk()
            .expectBody().json("{\"status\": 200}", JsonCompareMode.STRICT);
    }

    @Test
    void statusAnswersAPostTooSoItCanReceiveCallbacks() {
        client.post().uri("/sim/status/503?retryAfter=1").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":1}")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
    }

    @Test
    void statusAnswersHeadWithTheHeadersAndNoBody() {
        client.head().uri("/sim/status/503?retryAfter=3").exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3")
            .expectBody().isEmpty();
    }

    @Test
    void anEmptyRetryAfterIsNoRetryAfter() {
        client.get().uri("/sim/status/429?retryAfter=").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER)
            .expectBody().jsonPath("$.status").isEqualTo(429);
    }

    @Test
    void statusListsItsMethodsForOptionsAndRefusesTheOthersWith405() {
        client.options().uri("/sim/status/200").exchange()
            .expectStatus().isOk()
            .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow.split(","))
                .containsExactlyInAnyOrder("GET", "HEAD", "POST", "OPTIONS"));
        client.put().uri("/sim/status/200").exchange()
            .expectStatus().isEqualTo(405)
            .expectHeader().exists(HttpHeaders.ALLOW)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("https://asyncpatterns.dev/problems/method-not-allowed");
    }

    @Test
    void statusIsNotAcceptableToAClientThatTakesNoJson() {
        client.get().uri("/sim/status/200").accept(MediaType.TEXT_PLAIN).exchange()
            .expectStatus().isEqualTo(406)
            .expectBody().jsonPath("$.type").isEqualTo("https://asyncpatterns.dev/problems/not-acceptable");
        client.get().uri("/sim/status/200").accept(MediaType.TEXT_PLAIN, MediaType.ALL).exchange()
            .expectStatus().isOk();
        client.get().uri("/sim/status/204").accept(MediaType.TEXT_PLAIN).exchange()
            .expectStatus().isNoContent();
    }

    @Test
    void aStatusThatIsNotANumberIsABadRequestNamingCode() {
        badRequest("/sim/status/abc", "code");
        badRequest("/sim/status/200?retryAfter=soon", "retryAfter");
    }

    @Test
    void aNoContentStatusHasNoBody() {
        client.get().uri("/sim/status/204").exchange()
            .expectStatus().isNoContent()
            .expectBody().isEmpty();
    }

    @Test
    void aStatusOutsideTheHttpRangeIsABadRequestNamingCode() {
        badRequest("/sim/status/600", "code");
        badRequest("/sim/status/99", "code");
        badRequest("/sim/status/503?retryAfter=-1", "retryAfter");
    }

    @Test
    void flakyWithRateZeroNeverFailsAndWithRateOneAlwaysFails() {
        client.get().uri("/sim/flaky?failureRate=0&seed=1").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.ok").isEqualTo(true).jsonPath("$.call").isEqualTo(1);
        client.get().uri("/sim/flaky?failureRate=1&seed=1").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody().jsonPath("$.ok").isEqualTo(false).jsonPath("$.call").isEqualTo(2);
    }

    @Test
    void aFailureRateOutsideZeroToOneIsABadRequest() {
        badRequest("/sim/flaky?failureRate=1.5", "failureRate");
        badRequest("/sim/flaky?failureRate=NaN", "failureRate");
    }

    @Test
    void bytesAnswersExactlyNBytesOfText() {
        byte[] body = client.get().uri("/sim/bytes/20000").exchange()
            .expectStatus().isOk()
            .expectHeader().contentLength(20000)
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
            .expectBody(byte[].class).returnResult().getResponseBody();

        assertThat(body).hasSize(20000);
        assertThat(new String(body, 0, 28)).isEqualTo("abcdefghijklmnopqrstuvwxyzab");
    }

    @Test
    void bytesOverTheMaximumIsABadRequestNamingN() {
        badRequest("/sim/bytes/4194305", "n");
    }

    private void badRequest(String uri, String field) {
        client.get().uri(uri).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo(field);
    }
}
