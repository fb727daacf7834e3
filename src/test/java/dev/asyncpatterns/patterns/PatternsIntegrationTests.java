package dev.asyncpatterns.patterns;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;

/** Through HTTP, as an outside client: each invariant is checked from the returned timeline. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class PatternsIntegrationTests {

    @Autowired
    private WebTestClient client;

    @SuppressWarnings("unchecked")
    private Map<String, Object> run(String name, String body) {
        Map<String, Object> result = client.post().uri("/api/patterns/{name}", name)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus().isOk()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
        assertThat(result).containsEntry("pattern", name).containsKeys("elapsedMs", "summary", "timeline");
        return result;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> timeline(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("timeline");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> result) {
        return (Map<String, Object>) result.get("summary");
    }

    /** Walks the timeline like a client would: most tasks between enter and exit at once. */
    private static int maxInside(List<Map<String, Object>> timeline, String enter, String exit) {
        int inside = 0;
        int max = 0;
        for (Map<String, Object> e : timeline) {
            if (enter.equals(e.get("event"))) {
                max = Math.max(max, ++inside);
            }
            else if (exit.equals(e.get("event"))) {
                inside--;
            }
        }
        return max;
    }

    @Test
    void semaphoreNeverLetsMoreThanPermitsIn() {
        Map<String, Object> result = run("semaphore", "{\"permits\":2,\"tasks\":6,\"taskMs\":30}");
        assertThat(maxInside(timeline(result), "acquired", "released")).isEqualTo(2);
        assertThat(summary(result)).containsEntry("maxConcurrent", 2).containsEntry("completed", 6);
    }

    @Test
    void lockSectionsNeverOverlap() {
        Map<String, Object> result = run("lock", "{\"tasks\":4,\"taskMs\":20}");
        assertThat(maxInside(timeline(result), "acquired", "released")).isEqualTo(1);
        assertThat(summary(result)).containsEntry("overlaps", 0);
    }

    @Test
    void taskgroupFailureCancelsTheRunningSiblings() {
        Map<String, Object> result = run("taskgroup", "{\"tasks\":4,\"failIndex\":1,\"taskMs\":50}");
        assertThat(summary(result)).containsEntry("failed", "task-1")
            .containsEntry("cancelled", List.of("task-2", "task-3"))
            .containsEntry("completedAfterFailure", 0);
    }

    @Test
    void eventWaitersAllResumeAfterTheSet() {
        Map<String, Object> result = run("event", "{\"waiters\":3,\"setAfterMs\":50}");
        List<Map<String, Object>> timeline = timeline(result);
        int set = timeline.indexOf(timeline.stream().filter(e -> "set".equals(e.get("event"))).findFirst().orElseThrow());
        assertThat(timeline.subList(0, set)).noneMatch(e -> "resumed".equals(e.get("event")));
        assertThat(timeline.subList(set, timeline.size())).filteredOn(e -> "resumed".equals(e.get("event"))).hasSize(3);
    }

    @Test
    void conditionConsumesEveryItemOnce() {
        Map<String, Object> result = run("condition", "{\"producers\":2,\"consumers\":2,\"items\":10}");
        List<Object> consumed = timeline(result).stream().filter(e -> "consumed".equals(e.get("event")))
            .map(e -> e.get("detail")).toList();
        assertThat(consumed).hasSize(10).doesNotHaveDuplicates();
        assertThat(summary(result)).containsEntry("consumedOnce", true);
    }

    @Test
    void queueDepthStaysWithinCapacity() {
        Map<String, Object> result = run("queue",
                "{\"items\":12,\"producers\":2,\"consumers\":1,\"capacity\":2,\"itemMs\":5}");
        assertThat(summary(result)).containsEntry("capacity", 2).containsEntry("consumedOnce", true);
        assertThat((Integer) summary(result).get("maxDepth")).isBetween(1, 2);
        assertThat((Integer) summary(result).get("producerWaits")).isPositive();
    }

    @Test
    void timeoutCancelsTheWorkAndRunsItsCleanup() {
        Map<String, Object> result = run("timeout", "{\"workMs\":5000,\"timeoutMs\":100}");
        List<String> events = timeline(result).stream().map(e -> e.get("task") + ":" + e.get("event")).toList();
        assertThat(events).containsSubsequence("work:cancelled", "work:cleanup", "caller:timeout-error")
            .doesNotContain("work:completed");
        assertThat(summary(result)).containsEntry("cleanupRan", true).containsEntry("timedOut", true);
    }

    @Test
    void executorRunsItsWorkOffTheEventLoopAndReportsTheLoopLag() {
        Map<String, Object> result = run("executor", "{\"blockingMs\":300,\"cpuN\":100000}");
        assertThat(summary(result)).containsEntry("offLoop", true).containsEntry("primes", 9592);
        assertThat((String) summary(result).get("blockingThread")).startsWith("ap-blocking");
        assertThat((Integer) summary(result).get("worstLoopLagMs")).isNotNegative();
        assertThat((Integer) summary(result).get("lagSamples")).as("the probe ran during 300 ms").isPositive();
    }

    @Test
    void anOutOfBoundsParameterIsA400NamingIt() {
        client.post().uri("/api/patterns/semaphore").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"permits\":0}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("permits");
    }

    @Test
    void anUnknownOrMistypedParameterIsA400NamingIt() {
        client.post().uri("/api/patterns/lock").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"taks\":3}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("taks");
        client.post().uri("/api/patterns/lock").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"tasks\":\"many\"}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("tasks");
    }

    @Test
    void aRunThatWouldTakeTooLongIsA400NamingTheField() {
        client.post().uri("/api/patterns/lock").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"tasks\":100,\"taskMs\":10000}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("taskMs");
    }

    @Test
    void anUnknownPatternIsA404ProblemListingTheKnownOnes() {
        client.post().uri("/api/patterns/barrier").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{}")
            .exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.PATTERN_NOT_FOUND.toString())
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("semaphore", "executor"));
    }

    @Test
    void anEmptyBodyRunsWithTheDefaults() {
        client.post().uri("/api/patterns/event").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.summary.waiters").isEqualTo(5);
    }

    @Test
    void everyPatternIsListedAndDocumented() {
        client.get().uri("/api/patterns").exchange()
            .expectStatus().isOk()
            .expectBody(List.class).value(names -> assertThat(names).containsExactlyInAnyOrder("taskgroup",
                    "semaphore", "lock", "event", "condition", "queue", "timeout", "executor"));
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.paths['/api/patterns/{name}'].post.summary").exists()
            .jsonPath("$.paths['/api/tcp/echo'].post.summary").exists();
    }
}
