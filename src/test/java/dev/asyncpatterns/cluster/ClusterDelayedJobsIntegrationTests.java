package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delayed jobs with {@code store=postgres}: two instances on one database start each due job
 * exactly once, and a cancel on either instance keeps a scheduled job from ever starting.
 */
class ClusterDelayedJobsIntegrationTests {

    private static final Map<String, Object> SLEEP = Map.of("durationMs", 10, "steps", 1);

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

    private static JsonNode delayed(ClusterNode node, long delayMs) {
        return node.submit(Map.of("type", "sleep", "params", SLEEP, "delayMs", delayMs));
    }

    private static JsonNode awaitJob(ClusterNode node, String id) {
        return node.client().get().uri("/api/jobs/{id}?waitMs=20000", id).exchange()
            .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static double started() {
        return a.bean(MeterRegistry.class).get("asyncpatterns.jobs.started").counter().count()
                + b.bean(MeterRegistry.class).get("asyncpatterns.jobs.started").counter().count();
    }

    @Test
    void eachDueJobStartsExactlyOnceAcrossBothInstances() {
        double before = started();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            JsonNode job = delayed(i % 2 == 0 ? a : b, 1_500);
            assertThat(job.get("state").asString()).isEqualTo("SCHEDULED");
            assertThat(job.get("nextAttemptAt").isNull()).isFalse();
            ids.add(job.get("id").asString());
        }
        b.client().get().uri("/api/jobs?state=SCHEDULED&limit=100").exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.jobs.length()").isEqualTo(10);

        for (String id : ids) {
            JsonNode done = awaitJob(a, id);
            assertThat(done.get("state").asString()).as(id).isEqualTo("SUCCEEDED");
            assertThat(done.get("attempt").asInt()).as("claimed once").isEqualTo(1);
            assertThat(done.get("startedAt").asString()).isGreaterThanOrEqualTo(done.get("createdAt").asString());
        }
        assertThat(started() - before).as("starts in both registries together").isEqualTo(10);
    }

    @Test
    void aScheduledJobCancelledOnTheOtherInstanceNeverStarts() {
        String cancelled = delayed(a, 3_000).get("id").asString();
        // Due after the cancelled one: once it ran, the cancelled job's time has passed too.
        String witness = delayed(a, 3_500).get("id").asString();

        b.client().post().uri("/api/jobs/{id}/cancel", cancelled).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED");

        assertThat(awaitJob(b, witness).get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode after = awaitJob(b, cancelled);
        assertThat(after.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(after.get("startedAt").isNull()).isTrue();
    }

    @Test
    void badStartTimesAre400sNamingTheFieldAsInMemory() {
        expectInvalid(a.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", SLEEP, "delayMs", 1000, "runAt", "2030-01-01T00:00:00Z"))
            .exchange(), "runAt");
        expectInvalid(a.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", SLEEP, "delayMs", -5)).exchange(), "delayMs");
    }
}
