package dev.asyncpatterns.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.testsupport.CallbackReceiver;
import dev.asyncpatterns.testsupport.CallbackReceiver.Reply;
import dev.asyncpatterns.web.ProblemTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Completion callbacks with {@code store=postgres}, two instances on one embedded PostgreSQL:
 * each delivery is a row one of them makes, exactly once, signed; either shows its state and
 * redelivers it; a failing receiver is tried again after its backoff, by whichever instance.
 */
class ClusterCallbacksIntegrationTests {

    private static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY";
    private static final String[] CALLBACKS = {
        "asyncpatterns.callbacks.signing-secret=" + SECRET,
        "asyncpatterns.callbacks.first-backoff=50ms",
        "asyncpatterns.callbacks.max-attempts=3" };
    /** A bound on waiting on a loaded 2-core machine (a delivery takes milliseconds), not a speed claim. */
    private static final Duration DELIVERED = Duration.ofSeconds(20);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ClusterNode a;
    private static ClusterNode b;

    private CallbackReceiver receiver;

    @BeforeAll
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        a = ClusterNode.start(database, "node-a", CALLBACKS);
        b = ClusterNode.start(database, "node-b", CALLBACKS);
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static JsonNode submit(ClusterNode node, String type, Map<String, Object> params, String callbackUrl) {
        return node.submit(Map.of("type", type, "params", params, "callback", Map.of("url", callbackUrl)));
    }

    private static JsonNode get(ClusterNode node, String id) {
        return node.client().get().uri("/api/jobs/{id}", id).exchange()
            .expectStatus().isOk()
            .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static String callbackState(ClusterNode node, String id) {
        return get(node, id).path("callback").path("state").asString();
    }

    private static String signature(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static double delivered(ClusterNode node) {
        return node.bean(MeterRegistry.class).counter("asyncpatterns.callbacks.delivered").count();
    }

    @Test
    void anEndedJobIsPostedOnceSignedAndEitherInstanceShowsItDelivered() throws Exception {
        receiver = CallbackReceiver.start();
        double deliveredBefore = delivered(a) + delivered(b);
        JsonNode job = submit(a, "sleep", Map.of("durationMs", 10), receiver.url());
        String id = job.get("id").asString();
        assertThat(job.get("callback").get("url").asString()).isEqualTo(receiver.url());
        assertThat(job.get("callback").get("state").asString()).isEqualTo("PENDING");
        assertThat(job.get("callback").get("attempts").asInt()).isZero();

        await().atMost(DELIVERED).until(() -> callbackState(b, id).equals("DELIVERED"));

        assertThat(receiver.received()).hasSize(1);
        CallbackReceiver.Received received = receiver.received().get(0);
        String webhookId = received.headers().get("webhook-id");
        String timestamp = received.headers().get("webhook-timestamp");
        assertThat(webhookId).isEqualTo("msg_" + id + "_1");
        assertThat(received.headers().get("webhook-signature")).isEqualTo(signature(webhookId, timestamp, received.body()));
        JsonNode body = MAPPER.readTree(received.body());
        assertThat(body.get("id").asString()).isEqualTo(id);
        assertThat(body.get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode callback = get(a, id).get("callback");
        assertThat(callback.get("attempts").asInt()).isEqualTo(1);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
        assertThat(callback.get("deliveredAt").isNull()).isFalse();
        assertThat(delivered(a) + delivered(b)).as("asyncpatterns.callbacks.delivered, on the instance that sent it")
            .isEqualTo(deliveredBefore + 1);
    }

    @Test
    void jobsEndingOnBothInstancesAreEachDeliveredExactlyOnce() {
        receiver = CallbackReceiver.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(submit(i % 2 == 0 ? a : b, "sleep", Map.of("durationMs", 10 + i * 5), receiver.url())
                .get("id").asString());
        }

        await().atMost(DELIVERED).until(() -> ids.stream().allMatch(id -> callbackState(a, id).equals("DELIVERED")));

        assertThat(receiver.received()).extracting(received -> received.headers().get("webhook-id"))
            .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "msg_" + id + "_1").toList());
    }

    @Test
    void aRedeliverOnEitherInstanceIs409WhileTheJobRunsThenSendsItAgainWithANewId() {
        receiver = CallbackReceiver.start();
        String id = submit(a, "ticker", Map.of("intervalMs", 1000), receiver.url()).get("id").asString();

        b.client().post().uri("/api/jobs/{id}/callback/redeliver", id).exchange()
            .expectStatus().isEqualTo(409)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_TERMINAL.toString());
        b.client().post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();
        await().atMost(DELIVERED).until(() -> callbackState(a, id).equals("DELIVERED"));

        b.client().post().uri("/api/jobs/{id}/callback/redeliver", id).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.callback.url").isEqualTo(receiver.url())
            .jsonPath("$.callback.state").isEqualTo("PENDING");
        await().atMost(DELIVERED).until(() -> receiver.received().size() == 2
                && callbackState(a, id).equals("DELIVERED"));

        assertThat(receiver.received()).extracting(received -> received.headers().get("webhook-id"))
            .containsExactly("msg_" + id + "_1", "msg_" + id + "_2");
        assertThat(MAPPER.readTree(receiver.received().get(1).body()).get("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aRedeliverOfAJobWithoutACallbackIs404CallbackNotFound() {
        String id = a.submit(Map.of("type", "sleep", "params", Map.of("durationMs", 10))).get("id").asString();

        b.client().post().uri("/api/jobs/{id}/callback/redeliver", id).exchange()
            .expectStatus().isNotFound()
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.CALLBACK_NOT_FOUND.toString());
    }

    @Test
    void aFailingReceiverIsTriedAgainAfterItsRetryAfterWithTheSameId() {
        receiver = CallbackReceiver.start(new Reply(503, "1"), new Reply(500, null));
        String id = submit(b, "sleep", Map.of("durationMs", 10), receiver.url()).get("id").asString();

        await().atMost(DELIVERED).until(() -> callbackState(a, id).equals("DELIVERED"));

        List<CallbackReceiver.Received> tries = receiver.received();
        assertThat(tries).hasSize(3).extracting(received -> received.headers().get("webhook-id"))
            .containsOnly("msg_" + id + "_1");
        long first = Long.parseLong(tries.get(0).headers().get("webhook-timestamp"));
        long second = Long.parseLong(tries.get(1).headers().get("webhook-timestamp"));
        assertThat(second - first).as("Retry-After: 1 honoured (whole seconds, so at least one apart)")
            .isGreaterThanOrEqualTo(1);
        JsonNode callback = get(b, id).get("callback");
        assertThat(callback.get("attempts").asInt()).isEqualTo(3);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(200);
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpAfterMaxAttempts() {
        receiver = CallbackReceiver.start(new Reply(500, null), new Reply(502, null), new Reply(500, null),
                new Reply(500, null));
        String id = submit(a, "sleep", Map.of("durationMs", 10), receiver.url()).get("id").asString();

        await().atMost(DELIVERED).until(() -> callbackState(b, id).equals("FAILED"));

        assertThat(receiver.received()).hasSize(3);
        JsonNode callback = get(a, id).get("callback");
        assertThat(callback.get("attempts").asInt()).isEqualTo(3);
        assertThat(callback.get("lastStatus").asInt()).isEqualTo(500);
    }
}
