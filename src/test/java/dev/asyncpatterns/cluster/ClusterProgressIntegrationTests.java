package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's progress reaches its row throttled (at most once per 100 ms, the first time one period
 * after the start), yet the row ends with the final progress. Observed from outside the service:
 * every progress write sends {@code p:<id>:<completed>:<total>} on the jobs channel in the same
 * statement, and the end sends {@code s:<id>} after the last of them.
 */
class ClusterProgressIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String database;
    private static ClusterNode a;
    private static ClusterNode b;

    private ChannelRecorder channel;

    @BeforeAll
    static void startCluster() {
        database = SharedPostgres.newDatabase();
        a = ClusterNode.start(database, "progress-a");
        b = ClusterNode.start(database, "progress-b");
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    @BeforeEach
    void listen() {
        channel = ChannelRecorder.listen(database);
    }

    @AfterEach
    void stopListening() {
        channel.close();
    }

    @Test
    void aJobReportingProgressEveryTenMillisecondsWritesItToTheRowAtMostAboutTenTimesASecond() {
        String id = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 1000, "steps", 100)))
            .get("id").asString();

        List<String> writes = progressWritesUntilTheEnd(id);

        // 100 ticks in one second; throttled to one write per 100 ms that is about 9, 15 leaves slack.
        assertThat(writes).as("progress writes").hasSizeBetween(1, 15);
        List<Long> completed = writes.stream().map(payload -> Long.parseLong(payload.split(":")[2])).toList();
        assertThat(completed).as("completed counts written").isSorted().doesNotHaveDuplicates()
            .allSatisfy(count -> assertThat(count).isBetween(1L, 100L));
        assertThat(writes).allSatisfy(payload -> assertThat(payload).endsWith(":100"));
        b.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.state").isEqualTo("SUCCEEDED")
            .jsonPath("$.progress.completed").isEqualTo(100)
            .jsonPath("$.progress.total").isEqualTo(100);
    }

    @Test
    void aJobEndingWithinOneThrottlePeriodWritesNoProgressOnlyItsEnd() {
        // Sleeps of 0 ms end in about a millisecond; only those that did end within 100 ms of their start
        // are held to it, so a machine that stalls one of them cannot make the test fail.
        List<String> quick = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 0, "steps", 10)))
                .get("id").asString();
            List<String> writes = progressWritesUntilTheEnd(id);
            JsonNode ended = b.client().get().uri("/api/jobs/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(ended.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(ended.get("progress").get("completed").asLong()).as("the end carries the final progress")
                .isEqualTo(10);
            Duration ran = Duration.between(Instant.parse(ended.get("startedAt").asString()),
                    Instant.parse(ended.get("finishedAt").asString()));
            if (ran.toMillis() < 100) {
                assertThat(writes).as("progress writes of a job that ran %s", ran).isEmpty();
                quick.add(id);
            }
        }
        assertThat(quick).as("jobs that ended within 100 ms").isNotEmpty();
    }

    /**
     * Waits for the job's end to reach its row ({@code s:<id>}, sent by the write of the end,
     * which follows every progress write of the job), then returns the job's progress writes.
     */
    private List<String> progressWritesUntilTheEnd(String id) {
        await().atMost(WAIT).until(() -> !channel.payloads("s:" + id).isEmpty());
        return channel.payloads("p:" + id + ":");
    }
}
