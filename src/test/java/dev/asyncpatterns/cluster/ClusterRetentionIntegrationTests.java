package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention with {@code store=postgres} is enforced in the database by the reaper (every second
 * here): past {@code retention.max-count} the oldest-finished rows go, past
 * {@code retention.max-age} every finished row goes, for every instance at once; PENDING and
 * RUNNING jobs are never removed however old or many they are. Each test has a cluster (two
 * instances, one new database) of its own, configured with the bound it checks.
 */
class ClusterRetentionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Reaper passes every instance makes while its jobs are past the age bound (1 s, a pass a second). */
    private static final int PASSES = 3;
    private static final Map<String, Object> TICKER = Map.of("type", "ticker", "params", Map.of("intervalMs", 100));
    private static final Map<String, Object> QUICK = Map.of("type", "sleep", "params", Map.of("durationMs", 0));

    private ClusterNode a;
    private ClusterNode b;

    /**
     * Two instances on a new database. A lease of 3 s makes the reaper run every second (its
     * period is at most one second) while heartbeats stay far from losing a job on a busy machine;
     * no shutdown grace, so the tickers do not hold the context's close.
     */
    private void startCluster(String... properties) {
        String database = SharedPostgres.newDatabase();
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("asyncpatterns.cluster.lease-ttl=3s");
        all.add("asyncpatterns.jobs.shutdown-grace=0s");
        a = ClusterNode.start(database, "retain-a", all.toArray(String[]::new));
        b = ClusterNode.start(database, "retain-b", all.toArray(String[]::new));
    }

    @AfterEach
    void stopCluster() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void pastTheCountBoundTheOldestFinishedJobsAreDeletedForEveryInstanceButRunningOnesStay() {
        startCluster("asyncpatterns.jobs.retention.max-count=3");
        // More running jobs than the bound: a count that took them in would delete one.
        List<String> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(a.submit(TICKER).get("id").asString());
        }
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // One at a time, alternating instances, so they finish in this order.
            ClusterNode submitter = i % 2 == 0 ? a : b;
            String id = submitter.submit(QUICK).get("id").asString();
            stateOn(submitter == a ? b : a, id, "?waitMs=10000", "SUCCEEDED");
            finished.add(id);
        }

        await().atMost(WAIT).untilAsserted(() -> {
            for (String id : finished.subList(0, 3)) {
                assertGone(id);
            }
        });
        // One more finished job: a later reaper pass deletes the oldest that is left, and that
        // pass too leaves the newest three and every running job.
        String last = a.submit(QUICK).get("id").asString();
        stateOn(b, last, "?waitMs=10000", "SUCCEEDED");
        finished.add(last);
        await().atMost(WAIT).untilAsserted(() -> assertGone(finished.get(3)));
        for (String id : finished.subList(4, 7)) {
            assertState(id, "SUCCEEDED");
        }
        for (String id : running) {
            assertState(id, "RUNNING");
        }
    }

    @Test
    void pastTheAgeBoundFinishedJobsAreDeletedForEveryInstanceButPendingAndRunningOnesStay() {
        // One slot per instance, so the third ticker waits PENDING.
        startCluster("asyncpatterns.jobs.retention.max-age=1s", "asyncpatterns.jobs.max-active=1");
        String done = a.submit(QUICK).get("id").asString();
        stateOn(b, done, "?waitMs=10000", "SUCCEEDED");
        JsonNode onA = a.submit(TICKER);
        JsonNode onB = b.submit(TICKER);
        // Awaited, not read from the submits' answers: a claim pass that finds nothing holds its
        // instance's free slot while its query runs, and a submit in that moment waits PENDING until
        // the next pass starts it (seen once in CI).
        await().atMost(WAIT).untilAsserted(() -> {
            assertState(onA.get("id").asString(), "RUNNING");
            assertState(onB.get("id").asString(), "RUNNING");
        });
        JsonNode queued = a.submit(TICKER);
        assertThat(queued.get("state").asString()).as("both slots are taken").isEqualTo("PENDING");

        await().atMost(WAIT).untilAsserted(() -> assertGone(done));
        // Every job is past the age bound by then (done finished before they were submitted). Three
        // more passes of each instance's reaper, awaited on its own counter, must leave them all.
        // (No control job to await instead: with every slot taken, the cluster refuses another.)
        double passedA = reaperPasses(a);
        double passedB = reaperPasses(b);
        await().atMost(WAIT).until(() -> reaperPasses(a) >= passedA + PASSES && reaperPasses(b) >= passedB + PASSES);
        assertState(onA.get("id").asString(), "RUNNING");
        assertState(onB.get("id").asString(), "RUNNING");
        assertState(queued.get("id").asString(), "PENDING");
    }

    private static double reaperPasses(ClusterNode node) {
        return node.bean(MeterRegistry.class).get("asyncpatterns.cluster.reaper.passes").functionCounter().count();
    }

    private void assertGone(String id) {
        for (ClusterNode node : List.of(a, b)) {
            node.client().get().uri("/api/jobs/{id}", id).exchange().expectStatus().isNotFound();
        }
    }

    private void assertState(String id, String state) {
        for (ClusterNode node : List.of(a, b)) {
            stateOn(node, id, "", state);
        }
    }

    private static void stateOn(ClusterNode node, String id, String query, String state) {
        node.client().get().uri("/api/jobs/" + id + query).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.state").isEqualTo(state);
    }
}
