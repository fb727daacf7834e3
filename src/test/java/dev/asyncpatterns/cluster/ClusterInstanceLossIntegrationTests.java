package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens to jobs when their instance dies (SIGKILL of a child JVM) or leaves cleanly
 * (SIGTERM of another): FAIL jobs end INSTANCE_LOST and RERUN jobs run again on the survivor,
 * within the lease TTL (1.5 s here) plus a reaper period and a claim; a clean shutdown hands
 * RERUN jobs back at once without spending an attempt. Both children boot in parallel.
 */
class ClusterInstanceLossIntegrationTests {

    /** Lease TTL 1.5 s + reaper period 0.75 s + claim, with room for a loaded 2-core machine. */
    private static final Duration DETECTION = Duration.ofSeconds(8);

    /**
     * Two JVMs booting side by side on 2 cores: ~15 s on a quiet machine, 80-90 s seen while other
     * processes loaded it. A bound on waiting, not a speed claim.
     */
    private static final Duration BOOT = Duration.ofSeconds(240);

    private static ClusterNode survivor;
    private static ChildInstance doomed;
    private static ChildInstance leaving;

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // the suite's 120 s default is shorter than BOOT
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        survivor = ClusterNode.start(database, "survivor");
        doomed = ChildInstance.launch(database, "doomed");
        leaving = ChildInstance.launch(database, "leaving");
        doomed.awaitReady(BOOT);
        leaving.awaitReady(BOOT);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        doomed.close();
        leaving.close();
        survivor.close();
    }

    @Test
    void jobsOfAKilledInstanceFailAsInstanceLostOrRunAgainElsewhere() throws InterruptedException {
        JsonNode failing = submit(doomed.client(), "FAIL");
        JsonNode rerun = submit(doomed.client(), "RERUN");
        assertThat(failing.get("instanceId").asString()).isEqualTo("doomed");
        assertThat(rerun.get("instanceId").asString()).isEqualTo("doomed");

        doomed.kill();

        await().atMost(DETECTION).untilAsserted(() -> {
            JsonNode lost = get(failing.get("id").asString());
            assertThat(lost.get("state").asString()).isEqualTo("FAILED");
            assertThat(lost.get("error").get("type").asString()).isEqualTo("INSTANCE_LOST");
        });
        await().atMost(DETECTION).untilAsserted(() -> {
            JsonNode again = get(rerun.get("id").asString());
            assertThat(again.get("state").asString()).isEqualTo("RUNNING");
            assertThat(again.get("instanceId").asString()).isEqualTo("survivor");
            assertThat(again.get("attempt").asInt()).isEqualTo(2);
        });
        await().atMost(DETECTION).untilAsserted(() -> survivor.client().get().uri("/api/cluster").exchange()
            .expectBody().jsonPath("$.instances[?(@.id == 'doomed')].state").isEqualTo("LOST"));
        survivor.client().post().uri("/api/jobs/{id}/cancel", rerun.get("id").asString()).exchange()
            .expectStatus().isAccepted();
    }

    @Test
    void aCleanShutdownHandsRerunJobsBackWithoutSpendingAnAttempt() throws InterruptedException {
        JsonNode rerun = submit(leaving.client(), "RERUN");
        assertThat(rerun.get("instanceId").asString()).isEqualTo("leaving");

        leaving.terminate(Duration.ofSeconds(30));

        await().atMost(DETECTION).untilAsserted(() -> {
            JsonNode moved = get(rerun.get("id").asString());
            assertThat(moved.get("state").asString()).isEqualTo("RUNNING");
            assertThat(moved.get("instanceId").asString()).as("claimed by another instance").isNotEqualTo("leaving");
            assertThat(moved.get("attempt").asInt()).isEqualTo(1);
        });
        survivor.client().post().uri("/api/jobs/{id}/cancel", rerun.get("id").asString()).exchange()
            .expectStatus().isAccepted();
        survivor.client().get().uri("/api/cluster").exchange()
            .expectBody().jsonPath("$.instances[?(@.id == 'leaving')].state").isEqualTo("STOPPED");
    }

    private static JsonNode submit(WebTestClient client, String onInstanceLoss) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "ticker", "params", Map.of("intervalMs", 100), "onInstanceLoss", onInstanceLoss))
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static JsonNode get(String id) {
        return survivor.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
