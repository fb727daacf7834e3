package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole-job retries with {@code store=postgres}: two instances on one database run each attempt of
 * a retried job exactly once, a cancel on either instance during a backoff stops the retries, and
 * the dead-letter requeue and the policy's 400s answer as in memory.
 */
class ClusterRetriedJobsIntegrationTests {

    /** Times out every attempt: a job that fails however often it runs. */
    private static final Map<String, Object> SLEEP = Map.of("durationMs", 20_000);

    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        a = ClusterNode.start(database, "node-a");
        b = ClusterNode.start(database, "node-b");
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    private static JsonNode timingOut(ClusterNode node, Map<String, Object> retry) {
        return node.submit(Map.of("type", "sleep", "params", SLEEP, "timeoutMs", 50, "retry", retry));
    }

    private static JsonNode awaitJob(ClusterNode node, String id) {
        return node.client().get().uri("/api/jobs/{id}?waitMs=20000", id).exchange()
            .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static double sum(String counter) {
        return a.bean(MeterRegistry.class).get(counter).counter().count()
                + b.bean(MeterRegistry.class).get(counter).counter().count();
    }

    @Test
    void eachAttemptOfARetriedJobRunsExactlyOnceAcrossBothInstances() {
        double started = sum("asyncpatterns.jobs.started");
        double retries = sum("asyncpatterns.jobs.retries");
        JsonNode job = timingOut(a, Map.of("maxAttempts", 3, "backoffMs", 100, "retryOn", new String[] { "TIMED_OUT" }));
        assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
        String id = job.get("id").asString();

        JsonNode done = awaitJob(b, id);
        assertThat(done.get("state").asString()).isEqualTo("TIMED_OUT");
        assertThat(done.get("attempt").asInt()).isEqualTo(3);
        JsonNode attempts = done.get("attempts");
        assertThat(attempts.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(attempts.get(i).get("attempt").asInt()).isEqualTo(i + 1);
            assertThat(attempts.get(i).get("state").asString()).isEqualTo("TIMED_OUT");
            assertThat(attempts.get(i).get("finishedAt").asString())
                .isGreaterThanOrEqualTo(attempts.get(i).get("startedAt").asString());
        }
        assertThat(sum("asyncpatterns.jobs.started") - started).as("starts in both registries together").isEqualTo(3);
        assertThat(sum("asyncpatterns.jobs.retries") - retries).isEqualTo(2);

        // A dead-letter requeue on the other instance: one more attempt, and no backoff after it.
        b.client().post().uri("/api/jobs/{id}/retry", id).exchange().expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("SCHEDULED");
        JsonNode again = awaitJob(a, id);
        assertThat(again.get("state").asString()).isEqualTo("TIMED_OUT");
        assertThat(again.get("attempt").asInt()).isEqualTo(4);
        assertThat(again.get("attempts").size()).isEqualTo(4);
        assertThat(sum("asyncpatterns.jobs.started") - started).isEqualTo(4);
    }

    @Test
    void aCancelOnTheOtherInstanceDuringTheBackoffStopsTheRetries() {
        String id = timingOut(a, Map.of("maxAttempts", 5, "backoffMs", 600_000, "retryOn", new String[] { "TIMED_OUT" }))
            .get("id").asString();
        // Polled, not streamed: a state event may be dropped by a slow stream (best effort), and this job waits 10 minutes.
        await().atMost(Duration.ofSeconds(20)).until(() -> "SCHEDULED".equals(b.client().get().uri("/api/jobs/{id}", id)
            .exchange().expectBody(Map.class).returnResult().getResponseBody().get("state")));
        b.client().post().uri("/api/jobs/{id}/cancel", id).exchange()
            .expectStatus().isAccepted().expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
        JsonNode after = awaitJob(a, id);
        assertThat(after.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(after.get("attempt").asInt()).isEqualTo(1);
        assertThat(after.get("attempts").size()).isEqualTo(1);
    }

    @Test
    void theRequeueAnswers409And404AndABadPolicyIsA400AsInMemory() {
        String succeeded = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 1))).get("id").asString();
        assertThat(awaitJob(a, succeeded).get("state").asString()).isEqualTo("SUCCEEDED");
        expectProblem(b.client().post().uri("/api/jobs/{id}/retry", succeeded).exchange(), 409);
        expectProblem(b.client().post().uri("/api/jobs/{id}/retry", "00000000-0000-0000-0000-000000000000").exchange(),
                404);
        expectInvalid(a.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", SLEEP, "retry", Map.of("maxAttempts", 21, "backoffMs", 10)))
            .exchange(), "retry.maxAttempts");
    }
}
