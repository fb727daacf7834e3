package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import dev.asyncpatterns.testsupport.RecordingUpstream;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances (two application contexts, two ports) on one real PostgreSQL behave as one
 * service: a job submitted to A is visible, awaitable, streamable and cancellable on B.
 */
class ClusterJobsIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Three upstream calls a minute for the whole cluster. */
    private static final String[] SHARED_LIMIT = {
        "asyncpatterns.calls.global-rate-limiters.shared.limit-for-period=3",
        "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period=60s" };

    private static String database;
    private static ClusterNode a;
    private static ClusterNode b;

    private final RecordingUpstream upstream = RecordingUpstream.start();

    @BeforeAll
    static void startCluster() {
        database = SharedPostgres.newDatabase();
        a = ClusterNode.start(database, "node-a", SHARED_LIMIT);
        // B runs one job at a time, so a second job submitted there waits for a slot elsewhere.
        b = ClusterNode.start(database, "node-b", SHARED_LIMIT[0], SHARED_LIMIT[1], "asyncpatterns.jobs.max-active=1");
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    @Test
    void aJobSubmittedOnOneInstanceIsSeenListedAndAwaitedOnTheOther() {
        JsonNode job = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 600, "steps", 3),
                "name", "shared"));
        String id = job.get("id").asString();
        assertThat(job.get("instanceId").asString()).as("started at once where it was submitted").isEqualTo("node-a");
        assertThat(job.get("state").asString()).isEqualTo("RUNNING");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("startedAt").asString()).as("no poll delay: started as it was created")
            .isEqualTo(job.get("createdAt").asString());

        b.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.name").isEqualTo("shared").jsonPath("$.instanceId").isEqualTo("node-a")
            .jsonPath("$.startedAt").isEqualTo(job.get("startedAt").asString());
        b.client().get().uri("/api/jobs?type=sleep").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[0].id").isEqualTo(id);

        b.client().get().uri("/api/jobs/{id}?waitMs=10000", id).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.state").isEqualTo("SUCCEEDED")
            .jsonPath("$.result.sleptMs").isEqualTo(600)
            .jsonPath("$.progress.completed").isEqualTo(3);
    }

    @Test
    void theEventStreamOnAnotherInstanceFollowsTheJobToItsEnd() {
        String id = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 900, "steps", 3)))
            .get("id").asString();

        List<ServerSentEvent<JsonNode>> events = b.client().get().uri("/api/jobs/{id}/events", id)
            .accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
            })
            .getResponseBody()
            .filter(event -> event.event() != null)
            .collectList()
            .block(WAIT);

        assertThat(events).extracting(ServerSentEvent::event).contains("state", "progress");
        ServerSentEvent<JsonNode> last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("state");
        assertThat(last.data().get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(events).filteredOn(event -> "progress".equals(event.event()))
            .extracting(event -> event.data().get("completed").asLong()).last().isEqualTo(3L);
    }

    @Test
    void aCancelOnAnotherInstanceAbortsTheOwnersUpstreamCalls() {
        String id = a.submit(Map.of("type", "fetch", "params",
                Map.of("urls", List.of(upstream.url("/delay/10000"), upstream.url("/delay/10000")))))
            .get("id").asString();
        await().atMost(WAIT).until(() -> upstream.running() == 2);

        b.client().post().uri("/api/jobs/{id}/cancel", id).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED").jsonPath("$.cancelReason").isEqualTo("USER");

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .as("%s", upstream.snapshot()).containsExactly("/delay/10000", "/delay/10000"));
        assertThat(upstream.completed()).isZero();
    }

    @Test
    void aCancelStillReachesTheOwnerAfterItsListenConnectionWasKilled() {
        String id = a.submit(Map.of("type", "fetch", "params",
                Map.of("urls", List.of(upstream.url("/delay/10000"))))).get("id").asString();
        await().atMost(WAIT).until(() -> upstream.running() == 1);

        assertThat(SharedPostgres.queryLong(listeners("pg_terminate_backend(pid)::int"))).isEqualTo(2);
        b.client().post().uri("/api/jobs/{id}/cancel", id).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED");

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .containsExactly("/delay/10000"));
        await().atMost(WAIT).until(() -> SharedPostgres.queryLong(listeners("1")) == 2);
    }

    /** Sums {@code expression} over the LISTEN connections of this class's database. */
    private static String listeners(String expression) {
        return "SELECT COALESCE(sum(" + expression + "), 0) FROM pg_stat_activity WHERE datname = '" + database
                + "' AND query LIKE 'LISTEN%'";
    }

    @Test
    void theReaperTimesOutAJobWhoseOwnerIsGoneButWhoseLeaseHasNotExpired() {
        String id = "6f1c1d3e-0000-4000-8000-000000000001";
        // A job that another, unreachable instance claimed 10 s ago with a 1 s timeout and a lease for an hour.
        SharedPostgres.execute(database, """
                INSERT INTO jobs (id, type, state, params, timeout_ms, on_instance_loss, instance_id, attempt,
                    lease_expires_at, created_at, started_at, first_started_at)
                VALUES ('%s', 'ticker', 'RUNNING', '{"intervalMs": 100}', 1000, 'FAIL', 'ghost', 1,
                    now() + interval '1 hour', now() - interval '10 seconds', now() - interval '10 seconds',
                    now() - interval '10 seconds')""".formatted(id));

        await().atMost(WAIT).untilAsserted(() -> b.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.state").isEqualTo("TIMED_OUT"));
    }

    @Test
    void aJobSubmittedWhereNoSlotIsFreeIsClaimedByAnInstanceWithOne() {
        JsonNode first = b.submit(Map.of("type", "ticker", "params", Map.of("intervalMs", 100)));
        JsonNode second = b.submit(Map.of("type", "ticker", "params", Map.of("intervalMs", 100)));
        assertThat(first.get("instanceId").asString()).isEqualTo("node-b");
        assertThat(second.get("state").asString()).as("queued, B's one slot is taken").isEqualTo("PENDING");

        await().atMost(WAIT).untilAsserted(() -> b.client().get().uri("/api/jobs/{id}", second.get("id").asString())
            .exchange()
            .expectBody().jsonPath("$.state").isEqualTo("RUNNING").jsonPath("$.instanceId").isEqualTo("node-a")
            .jsonPath("$.attempt").isEqualTo(1));
        // The owner answers from its registry, the other from the row: the same start either way.
        String startedOnOwner = a.client().get().uri("/api/jobs/{id}", second.get("id").asString()).exchange()
            .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get("startedAt")
            .asString();
        b.client().get().uri("/api/jobs/{id}", second.get("id").asString()).exchange()
            .expectBody().jsonPath("$.startedAt").isEqualTo(startedOnOwner);

        for (JsonNode job : List.of(first, second)) {
            b.client().post().uri("/api/jobs/{id}/cancel", job.get("id").asString()).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
        }
    }

    @Test
    void aJobQueuedOnAFullInstanceNotifiesTheOthersThatWorkIsWaiting() {
        try (ChannelRecorder channel = ChannelRecorder.listen(database)) {
            JsonNode first = b.submit(Map.of("type", "ticker", "params", Map.of("intervalMs", 100)));
            JsonNode second = b.submit(Map.of("type", "ticker", "params", Map.of("intervalMs", 100)));
            assertThat(second.get("state").asString()).as("queued, B's one slot is taken").isEqualTo("PENDING");

            // Without the notification the others would find it only by their once-a-second poll.
            await().atMost(WAIT).until(() -> channel.payloads("q").contains("q"));

            for (JsonNode job : List.of(first, second)) {
                b.client().post().uri("/api/jobs/{id}/cancel", job.get("id").asString()).exchange()
                    .expectStatus().isAccepted();
            }
        }
    }

    @Test
    void aFinishedJobDeletedOnOneInstanceIsGoneOnTheOther() {
        String id = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 0))).get("id").asString();
        b.client().get().uri("/api/jobs/{id}?waitMs=5000", id).exchange()
            .expectBody().jsonPath("$.state").isEqualTo("SUCCEEDED");

        b.client().delete().uri("/api/jobs/{id}", id).exchange().expectStatus().isNoContent();

        a.client().get().uri("/api/jobs/{id}", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void theClusterEndpointListsBothInstances() {
        await().atMost(WAIT).untilAsserted(() -> a.client().get().uri("/api/cluster").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.store").isEqualTo("postgres")
            .jsonPath("$.self").isEqualTo("node-a")
            .jsonPath("$.instances[?(@.id == 'node-b')].state").isEqualTo("UP"));
    }

    @Test
    void twoInstancesTogetherNeverExceedAGlobalRateLimit() {
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 4; round++) {
            for (ClusterNode node : List.of(a, b)) {
                int status = node.client().post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("url", upstream.url("/delay/0"), "globalRateLimiter", "shared"))
                    .exchange()
                    .returnResult(String.class).getStatus().value();
                if (status == 200) {
                    accepted++;
                }
                else {
                    assertThat(status).isEqualTo(429);
                    refused++;
                }
            }
        }

        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isEqualTo(5);
        assertThat(upstream.started()).as("calls the upstream saw").isEqualTo(3);
        b.client().post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("url", upstream.url("/delay/0"), "globalRateLimiter", "shared"))
            .exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().exists("Retry-After");
        a.client().get().uri("/api/policies").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.globalRateLimiters[0].name").isEqualTo("shared")
            .jsonPath("$.globalRateLimiters[0].backend").isEqualTo("postgres")
            .jsonPath("$.globalRateLimiters[0].availableTokens").isEqualTo(0);
    }

    @Test
    void anUnknownGlobalRateLimiterIsABadRequest() {
        a.client().post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("url", upstream.url("/delay/0"), "globalRateLimiter", "nope"))
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("globalRateLimiter");
        assertThat(upstream.started()).isZero();
    }

    @Test
    void aCallbackUrlOutsideTheAllowlistIsRefusedAtSubmitNamingTheField() {
        a.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":10},\"callback\":{\"url\":\"http://example.com/hooks\"}}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("callback.url");
        b.client().get().uri("/api/jobs?type=sleep").exchange()
            .expectBody().jsonPath("$.jobs[?(@.callback.url == 'http://example.com/hooks')]").isEmpty();
    }
}
