package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} across two instances on one PostgreSQL: repeats racing on both start
 * exactly one job, and a repeat on the other instance replays the first answer, also after
 * retention deleted the job's row.
 */
class ClusterIdempotencyIntegrationTests {

    private static final String BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":10,\"steps\":1},\"name\":\"%s\"}";

    private static String database;
    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void startCluster() {
        database = SharedPostgres.newDatabase();
        a = ClusterNode.start(database, "node-a");
        b = ClusterNode.start(database, "node-b");
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    private static WebTestClient.ResponseSpec post(ClusterNode node, String key, String body) {
        return node.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .header("Idempotency-Key", key).bodyValue(body).exchange();
    }

    private static long jobsNamed(String name) {
        return SharedPostgres.queryLong(database, "SELECT count(*) FROM jobs WHERE name = '" + name + "'");
    }

    @Test
    void repeatsRacingOnBothInstancesStartExactlyOneJob() {
        List<EntityExchangeResult<JsonNode>> answers = Flux.range(0, 24)
            .flatMap(i -> Mono.fromCallable(() -> post(i % 2 == 0 ? a : b, "race", BODY.formatted("race"))
                .expectBody(JsonNode.class).returnResult()).subscribeOn(Schedulers.boundedElastic()))
            .collectList().block(Duration.ofSeconds(60));

        assertThat(jobsNamed("race")).isOne();
        assertThat(answers).extracting(answer -> answer.getStatus().value()).isSubsetOf(202, 409).contains(202);
        Set<String> ids = answers.stream().filter(answer -> answer.getStatus().value() == 202)
            .map(answer -> answer.getResponseBody().get("id").asString()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
    }

    @Test
    void theOtherInstanceReplaysTheFirstAnswerAfterTheJobRowIsGoneAndRefusesAnotherBody() {
        EntityExchangeResult<JsonNode> first = post(a, "retained", BODY.formatted("retained"))
            .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult();
        String id = first.getResponseBody().get("id").asString();
        a.client().get().uri("/api/jobs/{id}?waitMs=10000", id).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("SUCCEEDED");
        // What retention does to a finished job's row.
        SharedPostgres.execute(database, "DELETE FROM jobs WHERE id = '" + id + "'");

        post(b, "retained", BODY.formatted("retained"))
            .expectStatus().isAccepted()
            .expectHeader().valueEquals("Idempotent-Replayed", "true")
            .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).endsWith("/api/jobs/" + id))
            .expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.instanceId").isEqualTo("node-a");
        post(b, "retained", BODY.formatted("other")).expectStatus().isEqualTo(422);
        assertThat(jobsNamed("retained")).isZero();
        assertThat(jobsNamed("other")).isZero();
    }
}
