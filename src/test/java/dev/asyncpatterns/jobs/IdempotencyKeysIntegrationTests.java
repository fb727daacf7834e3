package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springdoc.core.service.OpenAPIService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Idempotency-Key} end to end on the in-memory store: the replay keeps its promise after
 * retention forgot the job (max-count 0 forgets each job as it ends), concurrent repeats start one
 * job, and the refusals are problem JSON naming the header.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "asyncpatterns.jobs.retention.max-count=0")
@AutoConfigureWebTestClient(timeout = "30s")
class IdempotencyKeysIntegrationTests {

    private static final String QUICK = "{\"type\":\"sleep\",\"params\":{\"durationMs\":10,\"steps\":1},\"name\":\"%s\"}";

    @Autowired
    private WebTestClient client;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private OpenAPIService openApi;

    private WebTestClient.ResponseSpec post(String key, String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .header(IdempotencyKey.HEADER, key).bodyValue(body).exchange();
    }

    @Test
    void aRepeatAfterRetentionForgotTheJobStillAnswersTheFirst202() {
        EntityExchangeResult<JobView> first = post("after-retention", QUICK.formatted("once"))
            .expectStatus().isAccepted().expectBody(JobView.class).returnResult();
        String id = first.getResponseBody().id().toString();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                client.get().uri("/api/jobs/{id}", id).exchange().expectStatus().isNotFound());
        double replayed = meters.counter("asyncpatterns.jobs.idempotent.replayed").count();

        post("after-retention", QUICK.formatted("once"))
            .expectStatus().isAccepted()
            .expectHeader().valueEquals(JobSubmitRoute.REPLAYED, "true")
            .expectHeader().valueEquals(HttpHeaders.LOCATION, first.getResponseHeaders().getFirst(HttpHeaders.LOCATION))
            .expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.state").isEqualTo("RUNNING");
        assertThat(meters.counter("asyncpatterns.jobs.idempotent.replayed").count()).isEqualTo(replayed + 1);
    }

    @Test
    void concurrentRepeatsOfOneKeyStartExactlyOneJob() {
        double started = meters.counter("asyncpatterns.jobs.started").count();

        List<EntityExchangeResult<JsonNode>> answers = Flux.range(0, 24)
            .flatMap(i -> Mono.fromCallable(() -> post("concurrent", QUICK.formatted("concurrent"))
                .expectBody(JsonNode.class).returnResult()).subscribeOn(Schedulers.boundedElastic()))
            .collectList().block(Duration.ofSeconds(30));

        assertThat(meters.counter("asyncpatterns.jobs.started").count()).isEqualTo(started + 1);
        assertThat(answers).extracting(answer -> answer.getStatus().value()).isSubsetOf(202, 409).contains(202);
        Set<String> ids = answers.stream().filter(answer -> answer.getStatus().value() == 202)
            .map(answer -> answer.getResponseBody().get("id").asString()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
    }

    @Test
    void anotherBodyIs422AndABadKeyIs400NamingTheHeader() {
        post("reused", QUICK.formatted("first")).expectStatus().isAccepted();

        expectProblem(post("reused", QUICK.formatted("second")), 422)
            .jsonPath("$.type").isEqualTo(ProblemTypes.IDEMPOTENCY_KEY_REUSED.toString())
            .jsonPath("$.header").isEqualTo(IdempotencyKey.HEADER);
        expectInvalid(post("x".repeat(256), QUICK.formatted("long")), IdempotencyKey.HEADER);
    }

    @Test
    void theOpenApiDocumentShowsTheHeadersAndTheConflictAnswers() {
        await().atMost(Duration.ofSeconds(60)).until(() -> openApi.getCachedOpenAPI(Locale.getDefault()) != null);
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.paths['/api/jobs'].post.parameters[?(@.name == 'Idempotency-Key')].in").isEqualTo("header")
            .jsonPath("$.paths['/api/jobs'].post.responses['202'].headers['Idempotent-Replayed']").exists()
            .jsonPath("$.paths['/api/jobs'].post.responses['409'].content['application/problem+json']").exists()
            .jsonPath("$.paths['/api/jobs'].post.responses['422'].content['application/problem+json']").exists();
    }
}
