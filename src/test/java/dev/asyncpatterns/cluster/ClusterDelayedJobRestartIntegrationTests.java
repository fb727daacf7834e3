package dev.asyncpatterns.cluster;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delayed job is a row, not a timer in the process that took it: it outlives that instance and
 * runs on the next one. A class of its own because closing an instance in this JVM also stops the
 * ones still running beside it.
 */
class ClusterDelayedJobRestartIntegrationTests {

    @Test
    void aScheduledJobSurvivesTheRestartOfTheOnlyInstance() {
        String database = SharedPostgres.newDatabase();
        String id;
        try (ClusterNode first = ClusterNode.start(database, "first")) {
            JsonNode job = first.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 10, "steps", 1),
                    "delayMs", 2_000));
            assertThat(job.get("state").asString()).isEqualTo("SCHEDULED");
            id = job.get("id").asString();
        }
        try (ClusterNode second = ClusterNode.start(database, "second")) {
            JsonNode done = second.client().get().uri("/api/jobs/{id}?waitMs=20000", id).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("instanceId").asString()).isEqualTo("second");
        }
    }
}
