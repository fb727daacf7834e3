package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.asyncpatterns.testsupport.RecordingUpstream;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import dev.asyncpatterns.web.ProblemTypes;
import reactor.test.StepVerifier;

/** Section 2 over HTTP, against the embedded /sim and a recording upstream on 127.0.0.1. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FanoutIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    private final RecordingUpstream upstream = RecordingUpstream.start();

    @AfterEach
    void close() {
        upstream.close();
    }

    private List<String> urls(String... paths) {
        return Arrays.stream(paths).map(upstream::url).toList();
    }

    private WebTestClient.ResponseSpec post(String path, Map<String, ?> body) {
        return client.post().uri("/api/fanout/" + path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
            .exchange();
    }

    @Test
    void gatherAgainstTheSimulatedUpstreamAnswersEveryResultInRequestOrder() {
        String sim = "http://localhost:" + port + "/sim";
        post("gather", body("urls", List.of(sim + "/delay/200", sim + "/delay/50", sim + "/status/503"),
                "concurrency", 2, "perCallTimeoutMs", 5000, "returnExceptions", true))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.results.length()").isEqualTo(3)
            .jsonPath("$.results[0].index").isEqualTo(0)
            .jsonPath("$.results[0].url").isEqualTo(sim + "/delay/200")
            .jsonPath("$.results[0].ok").isEqualTo(true)
            .jsonPath("$.results[0].status").isEqualTo(200)
            .jsonPath("$.results[0].body.delayedMs").isEqualTo(200)
            .jsonPath("$.results[0].error").doesNotExist()
            .jsonPath("$.results[1].body.delayedMs").isEqualTo(50)
            .jsonPath("$.results[2].ok").isEqualTo(false)
            .jsonPath("$.results[2].error.type").isEqualTo("HTTP_STATUS")
            .jsonPath("$.results[2].error.status").isEqualTo(503)
            .jsonPath("$.results[2].error.message").exists()
            .jsonPath("$.results[2].status").doesNotExist()
            .jsonPath("$.results[2].body").doesNotExist()
            .jsonPath("$.results[2].elapsedMs").exists()
            .jsonPath("$.succeeded").isEqualTo(2)
            .jsonPath("$.failed").isEqualTo(1)
            .jsonPath("$.elapsedMs").value(ms -> assertThat(((Number) ms).longValue()).isGreaterThanOrEqualTo(200));
    }

    @Test
    void gatherWhoseCallFailsAnswers502NamingItAndAbortsTheOthersAtTheUpstream() {
        List<String> urls = urls("/delay/5000", "/status/500?delayMs=300", "/delay/5000");
        post("gather", body("urls", urls))
            .expectStatus().isEqualTo(502)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.CALL_FAILED.toString())
            .jsonPath("$.status").isEqualTo(502)
            .jsonPath("$.index").isEqualTo(1)
            .jsonPath("$.url").isEqualTo(urls.get(1))
            .jsonPath("$.error.type").isEqualTo("HTTP_STATUS")
            .jsonPath("$.error.status").isEqualTo(500)
            .jsonPath("$.cancelled").isEqualTo(2)
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("urls[1]"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .as("%s", upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
    }

    @Test
    void gatherPastItsTimeoutAnswers504AndAbortsEveryCall() {
        post("gather", body("urls", urls("/delay/5000", "/delay/5000"), "timeoutMs", 500))
            .expectStatus().isEqualTo(504)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.FANOUT_TIMEOUT.toString())
            .jsonPath("$.cancelled").isEqualTo(2);

        await().atMost(WAIT).until(() -> upstream.aborted() == 2);
    }

    @Test
    void aRefusedUrlAnswers400NamingItsIndexAndNoRequestLeaves() {
        List<String> urls = List.of(upstream.url("/delay/1"), upstream.url("/delay/1"), "http://elsewhere.example/");
        for (String path : List.of("gather", "wait", "first", "stream")) {
            post(path, body("urls", urls))
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("urls[2]")
                .jsonPath("$.errors[0].message").isEqualTo(
                        "host 'elsewhere.example' is not in asyncpatterns.outbound.allowed-hosts");
        }
        assertThat(upstream.started()).isZero();
    }

    @Test
    void waitAnswersDoneAndPendingAndAbortsThePending() {
        post("wait", body("urls", urls("/delay/5000", "/delay/100"), "returnWhen", "FIRST_COMPLETED"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.done.length()").isEqualTo(1)
            .jsonPath("$.done[0].index").isEqualTo(1)
            .jsonPath("$.pending[0].index").isEqualTo(0)
            .jsonPath("$.pending[0].url").isEqualTo(upstream.url("/delay/5000"))
            .jsonPath("$.elapsedMs").exists();

        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
    }

    @Test
    void firstAnswersTheWinnerAndAbortsTheRest() {
        post("first", body("urls", urls("/delay/5000", "/delay/100")))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.index").isEqualTo(1)
            .jsonPath("$.ok").isEqualTo(true)
            .jsonPath("$.body.delayedMs").isEqualTo(100);

        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
    }

    @Test
    void firstWhenEveryCallFailsAnswers502WithEveryError() {
        post("first", body("urls", urls("/status/500", "/status/404")))
            .expectStatus().isEqualTo(502)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.ALL_CALLS_FAILED.toString())
            .jsonPath("$.errors.length()").isEqualTo(2)
            .jsonPath("$.errors[0].error.status").isEqualTo(500)
            .jsonPath("$.errors[1].error.status").isEqualTo(404);
    }

    @Test
    void streamAnswersNdjsonInCompletionOrder() {
        List<Map<String, Object>> lines = client.post().uri("/api/fanout/stream")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body("urls", urls("/delay/600", "/delay/1", "/delay/300")))
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .returnResult(new ParameterizedTypeReference<Map<String, Object>>() { })
            .getResponseBody()
            .collectList()
            .block(WAIT);

        assertThat(lines).extracting(line -> line.get("index")).containsExactly(1, 2, 0);
    }

    @Test
    void aClientThatClosesTheStreamAbortsTheRunningCallsAtTheUpstream() {
        WebClient service = WebClient.create("http://127.0.0.1:" + port);

        StepVerifier.create(service.post().uri("/api/fanout/stream")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body("urls", urls("/delay/5000", "/delay/100", "/delay/5000")))
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() { }))
            .expectNextMatches(line -> line.get("index").equals(1))
            .thenCancel()
            .verify(WAIT);

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .as("%s", upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
    }

    @Test
    void callsAreCountedByOutcome() {
        post("gather", body("urls", urls("/delay/1", "/status/404"), "returnExceptions", true)).expectStatus().isOk()
            .expectBody(Void.class);

        client.get().uri("/actuator/metrics/asyncpatterns.fanout.calls?tag=outcome:HTTP_STATUS").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.measurements[0].value").value(v -> assertThat(((Number) v).doubleValue()).isPositive());
        client.get().uri("/actuator/metrics/asyncpatterns.fanout.call.latency").exchange()
            .expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void theOpenApiDescriptionDocumentsEveryFanoutEndpoint() {
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.paths['/api/fanout/gather'].post.summary").exists()
            .jsonPath("$.paths['/api/fanout/gather'].post.description").value(d -> assertThat((String) d).contains("TaskGroup"))
            .jsonPath("$.paths['/api/fanout/wait'].post").exists()
            .jsonPath("$.paths['/api/fanout/first'].post").exists()
            .jsonPath("$.paths['/api/fanout/stream'].post").exists()
            .jsonPath("$.paths['/sim/delay/{ms}'].get").exists();
    }
}
