package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;

import dev.asyncpatterns.testsupport.CallbackReceiver;
import dev.asyncpatterns.testsupport.CallbackReceiver.Reply;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delivery survives the loss of its instance: a child JVM ends a job and starts its callback's
 * first try, the receiver leaves it unanswered, the child is killed (SIGKILL) mid-try, and the
 * surviving instance makes the delivery once the dead one's claim on the row has run out.
 */
class ClusterCallbackTakeoverIntegrationTests {

    /** See {@link ClusterInstanceLossIntegrationTests}: a bound on a child JVM's boot on a loaded machine. */
    private static final Duration BOOT = Duration.ofSeconds(240);
    /** The dead claim runs out after the attempt timeout (5 s) plus the lease TTL (1.5 s); then a claim. */
    private static final Duration TAKEOVER = Duration.ofSeconds(30);

    private static ClusterNode survivor;
    private static ChildInstance doomed;

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // the suite's 120 s default is shorter than BOOT
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        doomed = ChildInstance.launch(database, "doomed", "--asyncpatterns.callbacks.attempt-timeout=5s");
        survivor = ClusterNode.start(database, "survivor");
        doomed.awaitReady(BOOT);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        doomed.close();
        survivor.close();
    }

    @Test
    void aDeliveryCutShortByTheLossOfItsInstanceIsMadeByAnother() throws InterruptedException {
        try (CallbackReceiver receiver = CallbackReceiver.start(Reply.NO_ANSWER)) {
            CallbackClaims survivorClaims = survivor.bean(CallbackClaims.class);
            // Until the child has taken the delivery, the survivor makes no try: the first is the child's.
            survivorClaims.stop();
            String id = doomed.client().post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "sleep", "params", Map.of("durationMs", 10),
                        "callback", Map.of("url", receiver.url())))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
            await().atMost(TAKEOVER).until(() -> receiver.received().size() == 1);

            doomed.kill();
            survivorClaims.start();

            await().atMost(TAKEOVER).untilAsserted(() -> assertThat(callback(id).get("state").asString())
                .isEqualTo("DELIVERED"));
            assertThat(receiver.received()).hasSize(2)
                .extracting(received -> received.headers().get("webhook-id"))
                .containsOnly("msg_" + id + "_1");
            JsonNode callback = callback(id);
            assertThat(callback.get("attempts").asInt()).as("the cut-short try counts").isEqualTo(2);
            assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
        }
    }

    private static JsonNode callback(String id) {
        return survivor.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody(JsonNode.class).returnResult().getResponseBody().get("callback");
    }
}
