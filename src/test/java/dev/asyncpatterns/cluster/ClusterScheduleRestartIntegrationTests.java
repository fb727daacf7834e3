package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule is a row, not a timer in the process that created it: created on one instance, it
 * fires on the next one after the first is gone, and its jobs carry {@code scheduleId} in their
 * rows. A class of its own because closing an instance in this JVM also stops the ones beside it.
 */
class ClusterScheduleRestartIntegrationTests {

    @Test
    void aScheduleSurvivesTheRestartOfTheOnlyInstance() {
        String database = SharedPostgres.newDatabase();
        String id;
        try (ClusterNode first = ClusterNode.start(database, "first")) {
            JsonNode created = first.client().post().uri("/api/schedules").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "survivor", "everyMs", 1000,
                        "job", Map.of("type", "sleep", "params", Map.of("durationMs", 10))))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
            id = created.get("id").asString();
            // Stopped before the registry drains, so the pass under way still starts what it claimed.
            assertThat(first.dependentsOf("jobRegistry")).contains("postgresScheduleStore");
        }
        try (ClusterNode second = ClusterNode.start(database, "second")) {
            JsonNode run = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> second.client().get().uri("/api/schedules/{id}", id).exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().get("lastRuns"),
                        runs -> runs.size() > 0 && runs.get(runs.size() - 1).get("jobId").isString())
                .get(0);
            String jobId = run.get("jobId").asString();
            JsonNode job = second.client().get().uri("/api/jobs/{job}?waitMs=20000", jobId).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(job.get("scheduleId").asString()).isEqualTo(id);
            assertThat(job.get("instanceId").asString()).isEqualTo("second");
            assertThat(job.get("name").asString()).isEqualTo("survivor");
        }
    }
}
