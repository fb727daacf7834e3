package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springdoc.core.service.OpenAPIService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class JobsApiIntegrationTests {

    private static final Duration VERIFY = Duration.ofSeconds(20);

    @Autowired
    private WebTestClient client;

    @Autowired
    private OpenAPIService openApi;

    private JobView start(String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JobView.class).returnResult().getResponseBody();
    }

    private JobView awaitJob(JobView job) {
        return client.get().uri("/api/jobs/{id}?waitMs=15000", job.id().toString()).exchange()
            .expectStatus().isOk()
            .expectBody(JobView.class).returnResult().getResponseBody();
    }

    private WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.status").isEqualTo(status)
            .jsonPath("$.title").exists()
            .jsonPath("$.detail").exists()
            .jsonPath("$.trace").doesNotExist();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void postStartsAJobAndAnswers202WithLocationAndTheJobJson() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":100,\"steps\":2},\"timeoutMs\":60000,\"name\":\"nightly\"}")
            .exchange()
            .expectStatus().isAccepted()
            .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).matches(".*/api/jobs/[0-9a-f-]{36}$"))
            .expectBody()
            .jsonPath("$.id").isNotEmpty()
            .jsonPath("$.type").isEqualTo("sleep")
            .jsonPath("$.name").isEqualTo("nightly")
            .jsonPath("$.state").isEqualTo("RUNNING")
            .jsonPath("$.params.durationMs").isEqualTo(100)
            .jsonPath("$.params.steps").isEqualTo(2)
            .jsonPath("$.timeoutMs").isEqualTo(60000)
            .jsonPath("$.progress.completed").isEqualTo(0)
            .jsonPath("$.progress.total").isEqualTo(2)
            .jsonPath("$.result").isEmpty()
            .jsonPath("$.error").isEmpty()
            .jsonPath("$.cancelReason").isEmpty()
            .jsonPath("$.createdAt").value(String.class, at -> assertThat(at).endsWith("Z"))
            .jsonPath("$.startedAt").isNotEmpty()
            .jsonPath("$.finishedAt").isEmpty();
    }

    @Test
    void theLocationAnswersTheJobAndWaitMsAwaitsItsEnd() {
        String location = post("{\"type\":\"sleep\",\"params\":{\"durationMs\":200}}")
            .expectStatus().isAccepted()
            .returnResult(JobView.class).getResponseHeaders().getLocation().toString();

        client.get().uri(location + "?waitMs=15000").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.state").isEqualTo("SUCCEEDED")
            .jsonPath("$.result.sleptMs").isEqualTo(200)
            .jsonPath("$.progress.completed").isEqualTo(1)
            .jsonPath("$.finishedAt").value(String.class, at -> assertThat(at).endsWith("Z"));
    }

    @Test
    void everyJobTypeRunsToItsDocumentedResult() {
        assertThat(awaitJob(start("{\"type\":\"cpu\",\"params\":{\"n\":5}}")).result())
            .isEqualTo(java.util.Map.of("value", "30"));
        assertThat(awaitJob(start("{\"type\":\"blocking\",\"params\":{\"durationMs\":20}}")).result())
            .isEqualTo(java.util.Map.of("blockedMs", 20));
        JobView pipeline = awaitJob(start(
                "{\"type\":\"pipeline\",\"params\":{\"items\":50,\"producers\":2,\"consumers\":2,\"queueCapacity\":3}}"));
        assertThatJob(pipeline).hasState(JobState.SUCCEEDED).hasProgress(50, 50L);
        assertThat(pipeline.result()).asString().contains("worker-1", "worker-2", "total=50");
    }

    @Test
    void aTimeoutEndsTheJobTimedOut() {
        String ticker = "{\"type\":\"ticker\",\"params\":{\"intervalMs\":50},\"timeoutMs\":300}";
        JobView job = start(ticker);
        JobView ended = awaitJob(job);
        assertThatJob(ended).hasState(JobState.TIMED_OUT).isTerminal();
        long ticks = ended.progress().completed();
        assertThat(ended.progress().total()).isNull();
        // The ticker's timer was cancelled with the timeout: no tick lands after it, not even in
        // the six intervals a second ticker, started now, runs until its own timeout.
        assertThatJob(awaitJob(start(ticker))).hasState(JobState.TIMED_OUT);
        assertThat(client.get().uri("/api/jobs/{id}", job.id().toString()).exchange()
            .expectBody(JobView.class).returnResult().getResponseBody().progress().completed()).isEqualTo(ticks);
    }

    @Test
    void cancelAnswers202WithTheCancelledJobAnd409OnceTerminal() {
        JobView job = start("{\"type\":\"ticker\",\"params\":{\"intervalMs\":1000}}");
        client.post().uri("/api/jobs/{id}/cancel", job.id().toString()).exchange()
            .expectStatus().isAccepted()
            .expectBody()
            .jsonPath("$.state").isEqualTo("CANCELLED")
            .jsonPath("$.cancelReason").isEqualTo("USER");

        expectProblem(client.post().uri("/api/jobs/{id}/cancel", job.id().toString()).exchange(), 409)
            .jsonPath("$.type").isEqualTo(ProblemTypes.ILLEGAL_TRANSITION.toString())
            .jsonPath("$.state").isEqualTo("CANCELLED");
    }

    @Test
    void deleteAnswers409WhileRunningThen204AndTheJobIsGone() {
        JobView job = start("{\"type\":\"ticker\",\"params\":{\"intervalMs\":1000}}");
        String id = job.id().toString();

        expectProblem(client.delete().uri("/api/jobs/{id}", id).exchange(), 409)
            .jsonPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_TERMINAL.toString());
        client.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted().expectBody(Void.class);
        client.delete().uri("/api/jobs/{id}", id).exchange().expectStatus().isNoContent().expectBody().isEmpty();
        expectProblem(client.get().uri("/api/jobs/{id}", id).exchange(), 404);
    }

    @Test
    void unknownJobsAnswer404ProblemOnEveryEndpoint() {
        String unknown = UUID.randomUUID().toString();
        for (WebTestClient.ResponseSpec response : List.of(
                client.get().uri("/api/jobs/{id}", unknown).exchange(),
                client.get().uri("/api/jobs/{id}?waitMs=100", unknown).exchange(),
                client.get().uri("/api/jobs/not-a-uuid").exchange(),
                client.post().uri("/api/jobs/{id}/cancel", unknown).exchange(),
                client.delete().uri("/api/jobs/{id}", unknown).exchange(),
                client.get().uri("/api/jobs/{id}/events", unknown).accept(MediaType.TEXT_EVENT_STREAM).exchange())) {
            expectProblem(response, 404).jsonPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_FOUND.toString());
        }
    }

    @Test
    void listIsNewestFirstAndFiltersByStateAndType() {
        JobView older = start("{\"type\":\"ticker\",\"params\":{\"intervalMs\":1000},\"name\":\"list-a\"}");
        JobView newer = start("{\"type\":\"ticker\",\"params\":{\"intervalMs\":1000},\"name\":\"list-b\"}");
        client.post().uri("/api/jobs/{id}/cancel", older.id().toString()).exchange().expectStatus().isAccepted().expectBody(Void.class);

        List<JobView> tickers = client.get().uri("/api/jobs?type=ticker&limit=1000").exchange()
            .expectStatus().isOk().expectBody(JobList.class).returnResult().getResponseBody().jobs();
        assertThat(tickers).extracting(JobView::id).containsSubsequence(newer.id(), older.id());
        assertThat(tickers).allSatisfy(job -> assertThat(job.type()).isEqualTo("ticker"));

        List<JobView> cancelled = client.get().uri("/api/jobs?state=CANCELLED&type=ticker").exchange()
            .expectStatus().isOk().expectBody(JobList.class).returnResult().getResponseBody().jobs();
        assertThat(cancelled).extracting(JobView::id).contains(older.id()).doesNotContain(newer.id());

        client.get().uri("/api/jobs?limit=1").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.jobs.length()").isEqualTo(1);
        client.post().uri("/api/jobs/{id}/cancel", newer.id().toString()).exchange().expectStatus().isAccepted().expectBody(Void.class);
    }

    @Test
    void badListQueriesAnswer400NamingTheParameter() {
        expectProblem(client.get().uri("/api/jobs?limit=0").exchange(), 400).jsonPath("$.errors[0].field").isEqualTo("limit");
        expectProblem(client.get().uri("/api/jobs?limit=100000").exchange(), 400).jsonPath("$.errors[0].field").isEqualTo("limit");
        expectProblem(client.get().uri("/api/jobs?state=SLEEPY").exchange(), 400).jsonPath("$.errors[0].field").isEqualTo("state");
        expectProblem(client.get().uri("/api/jobs?type=nope").exchange(), 400).jsonPath("$.errors[0].field").isEqualTo("type");
        expectProblem(client.get().uri("/api/jobs/{id}?waitMs=-1", UUID.randomUUID()).exchange(), 400)
            .jsonPath("$.errors[0].field").isEqualTo("waitMs");
    }

    @Test
    void invalidBodiesAnswer400NamingTheField() {
        expectProblem(post("{\"params\":{}}"), 400).jsonPath("$.errors[0].field").isEqualTo("type");
        expectProblem(post("{\"type\":\"teleport\"}"), 400).jsonPath("$.errors[0].field").isEqualTo("type");
        expectProblem(post("{\"type\":\"sleep\",\"params\":{}}"), 400)
            .jsonPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString())
            .jsonPath("$.errors[0].field").isEqualTo("params.durationMs");
        expectProblem(post("{\"type\":\"sleep\",\"params\":{\"durationMs\":\"soon\"}}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("params.durationMs");
        expectProblem(post("{\"type\":\"sleep\",\"params\":{\"durationMs\":100,\"stepz\":2}}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("params.stepz");
        expectProblem(post("{\"type\":\"sleep\",\"params\":[1]}"), 400).jsonPath("$.errors[0].field").isEqualTo("params");
        expectProblem(post("{\"type\":\"cpu\",\"params\":{\"n\":-1}}"), 400).jsonPath("$.errors[0].field").isEqualTo("params.n");
        expectProblem(post("{\"type\":\"cpu\",\"params\":{\"n\":3000000000}}"), 400).jsonPath("$.errors[0].field").isEqualTo("params.n");
        expectProblem(post("{\"type\":\"ticker\",\"params\":{\"intervalMs\":1}}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("params.intervalMs");
        expectProblem(post("{\"type\":\"blocking\",\"params\":{\"durationMs\":99999999}}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("params.durationMs");
        expectProblem(post("{\"type\":\"pipeline\",\"params\":{\"items\":10,\"consumers\":0,\"queueCapacity\":0}}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("params.consumers")
            .jsonPath("$.errors[1].field").isEqualTo("params.queueCapacity");
        expectProblem(post("{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"timeoutMs\":0}"), 400)
            .jsonPath("$.errors[0].field").isEqualTo("timeoutMs");
    }

    @Test
    void malformedJsonWrongContentTypeAndOversizedBodiesAreProblems() {
        expectProblem(post("{\"type\": "), 400).jsonPath("$.type").isEqualTo(ProblemTypes.MALFORMED_REQUEST.toString());
        expectProblem(client.post().uri("/api/jobs").contentType(MediaType.TEXT_PLAIN).bodyValue("sleep").exchange(), 415)
            .jsonPath("$.type").isEqualTo(ProblemTypes.UNSUPPORTED_MEDIA_TYPE.toString());
        String huge = "{\"type\":\"sleep\",\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        expectProblem(post(huge), 413).jsonPath("$.type").isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE.toString());
    }

    @Test
    void aBodyUnderTheConfiguredCapIsReadEvenPastSpringsDefaultCap() {
        // 600 KB is past Spring's 256 KB default: reaching validation proves our 1 MB cap is in force.
        String large = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"name\":\"" + "x".repeat(600 * 1024) + "\"}";
        expectProblem(post(large), 400).jsonPath("$.errors[0].field").isEqualTo("name");
    }

    @Test
    void theEventStreamSendsStateAndProgressAndEndsAfterTheTerminalState() {
        JobView job = start("{\"type\":\"sleep\",\"params\":{\"durationMs\":300,\"steps\":3}}");
        Flux<ServerSentEvent<String>> events = client.get().uri("/api/jobs/{id}/events", job.id().toString())
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
            .getResponseBody();

        StepVerifier.create(events.filter(event -> event.event() != null))
            .assertNext(event -> assertThat(event.event()).isEqualTo("state"))
            .thenConsumeWhile(event -> !event.data().contains("SUCCEEDED"))
            .assertNext(event -> {
                assertThat(event.event()).isEqualTo("state");
                assertThat(event.data()).contains("\"state\":\"SUCCEEDED\"", "\"sleptMs\":300");
            })
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void theRegistryIsAHealthComponentInTheReadinessGroup() {
        client.get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.components.jobRegistry.status").isEqualTo("UP")
            .jsonPath("$.components.jobRegistry.details.maxActive").isEqualTo(10000)
            .jsonPath("$.components.jobRegistry.details.active").isNumber();
    }

    @Test
    void jobMetersAreExportedToPrometheus() {
        awaitJob(start("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}"));
        client.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class)
            .value(text -> assertThat(text).contains("asyncpatterns_jobs_started_total",
                    "asyncpatterns_jobs_finished_total{state=\"SUCCEEDED\",type=\"sleep\"}",
                    "asyncpatterns_jobs_active", "asyncpatterns_jobs_duration_seconds_count{type=\"sleep\"}"));
    }

    @Test
    void theOpenApiDocumentsEveryEndpointWithAnExamplePerJobType() {
        // springdoc pre-loads the document on its own thread; asked earlier, it would build it on
        // the event loop, with a classpath scan BlockHound rightly refuses.
        await().atMost(Duration.ofSeconds(60)).until(() -> openApi.getCachedOpenAPI(Locale.getDefault()) != null);
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.paths['/api/jobs'].post.summary").exists()
            .jsonPath("$.paths['/api/jobs'].post.requestBody.content['application/json'].examples.sleep").exists()
            .jsonPath("$.paths['/api/jobs'].post.requestBody.content['application/json'].examples.ticker").exists()
            .jsonPath("$.paths['/api/jobs'].post.requestBody.content['application/json'].examples.cpu").exists()
            .jsonPath("$.paths['/api/jobs'].post.requestBody.content['application/json'].examples.blocking").exists()
            .jsonPath("$.paths['/api/jobs'].post.requestBody.content['application/json'].examples.pipeline").exists()
            .jsonPath("$.paths['/api/jobs'].post.responses['429']").exists()
            .jsonPath("$.paths['/api/jobs'].get.summary").exists()
            .jsonPath("$.paths['/api/jobs/{id}'].get.responses['404']").exists()
            .jsonPath("$.paths['/api/jobs/{id}'].delete.responses['409']").exists()
            .jsonPath("$.paths['/api/jobs/{id}/cancel'].post.responses['409']").exists()
            .jsonPath("$.paths['/api/jobs/{id}/events'].get.summary").exists();
    }
}
