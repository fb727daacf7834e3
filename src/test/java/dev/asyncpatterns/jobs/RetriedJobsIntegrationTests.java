package dev.asyncpatterns.jobs;

import java.util.List;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code retry} on {@code POST /api/jobs} and {@code POST /api/jobs/{id}/retry} over HTTP, with the in-memory store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class RetriedJobsIntegrationTests {

    /** Times out every attempt: a job that fails however often it runs. */
    private static final String TIMES_OUT = "\"type\":\"sleep\",\"params\":{\"durationMs\":20000},\"timeoutMs\":20";

    @Autowired
    private WebTestClient client;

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private JobView submit(String body) {
        return post(body).expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();
    }

    private JobView awaitJob(JobView job) {
        return client.get().uri("/api/jobs/{id}?waitMs=15000", job.id().toString()).exchange()
            .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec retry(String id) {
        return client.post().uri("/api/jobs/{id}/retry", id).exchange();
    }

    @Test
    void aJobThatKeepsFailingRunsMaxAttemptsTimesAndEndsAsItsLastAttempt() {
        JobView job = submit("{" + TIMES_OUT + ",\"retry\":{\"maxAttempts\":3,\"backoffMs\":20,\"retryOn\":[\"TIMED_OUT\"]}}");
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.maxAttempts()).isEqualTo(3);

        JobView done = awaitJob(job);
        assertThatJob(done).hasState(JobState.TIMED_OUT);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.attempts()).extracting(JobAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(done.attempts()).extracting(JobAttempt::state).containsOnly(JobState.TIMED_OUT);
        assertThat(done.attempts().get(1).startedAt()).isAfterOrEqualTo(done.attempts().get(0).finishedAt().plusMillis(20));
    }

    @Test
    void theEventStreamFollowsEveryAttemptToTheEnd() {
        JobView job = submit("{" + TIMES_OUT + ",\"retry\":{\"maxAttempts\":2,\"backoffMs\":300,\"retryOn\":[\"TIMED_OUT\"]}}");
        List<Map<String, Object>> states = client.get().uri("/api/jobs/{id}/events", job.id().toString())
            .accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
            .getResponseBody()
            .filter(event -> "state".equals(event.event()))
            .map(ServerSentEvent::data)
            .collectList().block();
        // The stream does not end with the first attempt: its last event is the job's end, after the second.
        assertThat(states).filteredOn(state -> "SCHEDULED".equals(state.get("state")))
            .allSatisfy(state -> assertThat(state).containsKey("nextAttemptAt").containsEntry("attempt", 1));
        assertThat(states.get(states.size() - 1)).containsEntry("attempt", 2).containsEntry("state", "TIMED_OUT");
    }

    @Test
    void aCancelDuringTheBackoffStopsTheRetries() {
        JobView job = submit("{" + TIMES_OUT + ",\"retry\":{\"maxAttempts\":5,\"backoffMs\":600000,\"retryOn\":[\"TIMED_OUT\"]}}");
        // Polled, not streamed: a state event may be dropped by a slow stream (best effort), and this job waits 10 minutes.
        await().atMost(Duration.ofSeconds(20)).until(() -> "SCHEDULED".equals(client.get().uri("/api/jobs/{id}", job.id().toString())
            .exchange().expectBody(Map.class).returnResult().getResponseBody().get("state")));
        JobView cancelled = client.post().uri("/api/jobs/{id}/cancel", job.id().toString()).exchange()
            .expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();
        assertThatJob(cancelled).hasState(JobState.CANCELLED);
        JobView after = awaitJob(job);
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(after.nextAttemptAt()).isNull();
        assertThat(after.attempts()).extracting(JobAttempt::state).containsExactly(JobState.TIMED_OUT);
    }

    @Test
    void aDeadJobCanBeRequeuedButNotARunningOrSucceededOneOrAnUnknownOne() {
        JobView dead = awaitJob(submit("{" + TIMES_OUT + "}"));
        assertThatJob(dead).hasState(JobState.TIMED_OUT);
        assertThat(dead.attempts()).isNull();

        JobView requeued = retry(dead.id().toString()).expectStatus().isAccepted().expectBody(JobView.class)
            .returnResult().getResponseBody();
        assertThat(requeued.id()).isEqualTo(dead.id());
        JobView again = awaitJob(requeued);
        assertThatJob(again).hasState(JobState.TIMED_OUT);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.maxAttempts()).isEqualTo(1);
        assertThat(again.attempts()).extracting(JobAttempt::state).containsExactly(JobState.TIMED_OUT, JobState.TIMED_OUT);

        JobView running = submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":20000}}");
        expectProblem(retry(running.id().toString()), 409);
        client.post().uri("/api/jobs/{id}/cancel", running.id().toString()).exchange().expectStatus().isAccepted();

        JobView succeeded = awaitJob(submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}"));
        expectProblem(retry(succeeded.id().toString()), 409);
        expectProblem(retry("00000000-0000-0000-0000-000000000000"), 404);
    }

    @Test
    void aBadRetryPolicyIsA400NamingItsField() {
        String sleep = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"retry\":";
        expectInvalid(post(sleep + "{\"maxAttempts\":0,\"backoffMs\":10}}"), "retry.maxAttempts");
        expectInvalid(post(sleep + "{\"maxAttempts\":21,\"backoffMs\":10}}"), "retry.maxAttempts");
        expectInvalid(post(sleep + "{\"maxAttempts\":3,\"backoffMs\":-1}}"), "retry.backoffMs");
        expectInvalid(post(sleep + "{\"maxAttempts\":3,\"backoffMs\":10,\"maxBackoffMs\":-1}}"), "retry.maxBackoffMs");
        expectInvalid(post(sleep + "{\"maxAttempts\":3,\"backoffMs\":10,\"jitter\":1.5}}"), "retry.jitter");
        expectInvalid(post(sleep + "{\"maxAttempts\":3,\"backoffMs\":10,\"retryOn\":[\"SUCCEEDED\"]}}"), "retry.retryOn");
    }
}
