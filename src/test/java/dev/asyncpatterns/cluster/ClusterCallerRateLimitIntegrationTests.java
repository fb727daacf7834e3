package dev.asyncpatterns.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.security.CallerBuckets;

/**
 * With {@code store=postgres} the per-caller rate limit is one bucket per caller in the database:
 * requests to either instance draw from it, so a caller cannot multiply its limit by the number
 * of instances.
 */
class ClusterCallerRateLimitIntegrationTests {

    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        String[] limit = {"asyncpatterns.security.rate-limit.limit-for-period=3",
            "asyncpatterns.security.rate-limit.limit-refresh-period=10m"};
        a = ClusterNode.start(database, "limit-a", limit);
        b = ClusterNode.start(database, "limit-b", limit);
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    @Test
    void aCallersRequestsToEveryInstanceDrawFromOneBucket() {
        assertThat(a.bean(CallerBuckets.class)).isInstanceOf(PostgresCallerBuckets.class);

        a.client().get().uri("/api/jobs").exchange().expectStatus().isOk();
        b.client().get().uri("/api/jobs").exchange().expectStatus().isOk();
        a.client().get().uri("/api/jobs").exchange().expectStatus().isOk();

        // Three per instance would be six with local buckets: the fourth request anywhere is refused.
        b.client().get().uri("/api/jobs").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().exists("Retry-After")
            .expectBody().jsonPath("$.limitForPeriod").isEqualTo(3);
        a.client().get().uri("/api/jobs").exchange().expectStatus().isEqualTo(429);
    }
}
