package dev.asyncpatterns.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away and comes back: readiness turns OUT_OF_SERVICE and submits answer a
 * 503 problem (not a 500) while it is gone, and the instance recovers by itself. A statement
 * that never gets an answer fails within the statement timeout, also as a 503.
 */
class ClusterDatabaseLossIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, Object> SLEEP = Map.of("type", "sleep", "params", Map.of("durationMs", 0));

    private static String database;
    private static ClusterNode node;

    @BeforeAll
    static void start() {
        database = SharedPostgres.newDatabase();
        node = ClusterNode.start(database, "lonely");
    }

    @AfterAll
    static void stop() {
        SharedPostgres.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        node.close();
    }

    @Test
    void aLostDatabaseTakesTheInstanceOutOfRotationUntilItReturns() {
        node.client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

        SharedPostgres.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        SharedPostgres.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                + database + "'");

        await().atMost(WAIT).untilAsserted(() -> node.client().get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
            .expectBody().jsonPath("$.status").isEqualTo("OUT_OF_SERVICE"));
        node.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(SLEEP).exchange()
            .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
            .expectHeader().exists("Retry-After")
            .expectBody().jsonPath("$.type").value(type -> assertThat(type.toString())
                .endsWith("store-unavailable"));

        SharedPostgres.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");

        await().atMost(WAIT).untilAsserted(() -> node.client().get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isOk());
        await().atMost(WAIT).untilAsserted(() -> node.client().post().uri("/api/jobs")
            .contentType(MediaType.APPLICATION_JSON).bodyValue(SLEEP).exchange()
            .expectStatus().isAccepted());
    }

    @Test
    void aStatementStuckBehindALockAnswers503WithinTheStatementTimeout() throws SQLException {
        try (Connection holder = SharedPostgres.server().getDatabase("postgres", database).getConnection();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
            try {
                // The client waits 20 s: without the statement timeout (5 s) the list would still be waiting.
                node.client().get().uri("/api/jobs").exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.type").value(type -> assertThat(type.toString())
                        .endsWith("store-unavailable"));
            }
            finally {
                holder.rollback();
            }
        }
    }
}
