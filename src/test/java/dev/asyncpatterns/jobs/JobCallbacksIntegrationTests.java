package dev.asyncpatterns.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.callbacks.CallbackState;
import dev.asyncpatterns.callbacks.CallbackView;
import dev.asyncpatterns.testsupport.CallbackReceiver;
import dev.asyncpatterns.web.ProblemTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Completion callbacks end to end: submit, the job ends, a local receiver gets the signed job JSON. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "asyncpatterns.callbacks.signing-secret=" + JobCallbacksIntegrationTests.SECRET,
    "asyncpatterns.callbacks.first-backoff=10ms"})
@AutoConfigureWebTestClient(timeout = "30s")
class JobCallbacksIntegrationTests {

    static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY";
    private static final Duration DELIVERED = Duration.ofSeconds(20);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Autowired
    private WebTestClient client;

    private CallbackReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private JobView submit(String type, String params, String callbackUrl) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"" + type + "\",\"params\":" + params + ",\"callback\":{\"url\":\"" + callbackUrl + "\"}}")
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JobView.class).returnResult().getResponseBody();
    }

    private CallbackView callbackOf(JobView job) {
        return client.get().uri("/api/jobs/{id}", job.id().toString()).exchange()
            .expectStatus().isOk()
            .expectBody(JobView.class).returnResult().getResponseBody().callback();
    }

    private WebTestClient.ResponseSpec redeliver(String id) {
        return client.post().uri("/api/jobs/{id}/callback/redeliver", id).exchange();
    }

    /** What a receiver does: recompute the signature over id.timestamp.body with the shared key. */
    private static String expectedSignature(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void theOpenApiDocumentShowsTheCallbackFieldsAndTheRedeliverEndpoint() {
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.components.schemas.JobRequest.properties.callback").exists()
            .jsonPath("$.components.schemas.CallbackRequest.required[0]").isEqualTo("url")
            .jsonPath("$.components.schemas.JobView.properties.callback").exists()
            .jsonPath("$.components.schemas.CallbackView.properties.state.enum.length()").isEqualTo(3)
            .jsonPath("$.paths['/api/jobs/{id}/callback/redeliver'].post.responses['202']").exists()
            .jsonPath("$.paths['/api/jobs/{id}/callback/redeliver'].post.responses['404']").exists()
            .jsonPath("$.paths['/api/jobs/{id}/callback/redeliver'].post.responses['409'].content['application/problem+json']").exists();
    }

    @Test
    void aCallbackUrlOutsideTheAllowlistIsRefusedAtSubmitNamingTheField() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":10},\"callback\":{\"url\":\"http://example.com/hooks\"}}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString())
            .jsonPath("$.errors[0].field").isEqualTo("callback.url")
            .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("allowed-hosts"));

        client.get().uri("/api/jobs").exchange().expectBody()
            .jsonPath("$.jobs[?(@.callback.url == 'http://example.com/hooks')]").isEmpty();
    }

    @Test
    void theEndedJobIsPostedSignedToTheReceiver() throws Exception {
        receiver = CallbackReceiver.start();
        JobView job = submit("sleep", "{\"durationMs\":10}", receiver.url());
        assertThat(job.callback()).isEqualTo(new CallbackView(receiver.url(), CallbackState.PENDING, 0, null, null));

        await().atMost(DELIVERED).until(() -> callbackOf(job).state() == CallbackState.DELIVERED);

        assertThat(receiver.received()).hasSize(1);
        CallbackReceiver.Received received = receiver.received().get(0);
        String id = received.headers().get("webhook-id");
        String timestamp = received.headers().get("webhook-timestamp");
        assertThat(id).isEqualTo("msg_" + job.id() + "_1");
        assertThat(Long.parseLong(timestamp)).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(received.headers().get("webhook-signature")).isEqualTo(expectedSignature(id, timestamp, received.body()));
        assertThat(received.headers().get("content-type")).isEqualTo("application/json");
        JsonNode body = MAPPER.readTree(received.body());
        assertThat(body.get("id").asString()).isEqualTo(job.id().toString());
        assertThat(body.get("state").asString()).isEqualTo("SUCCEEDED");
        CallbackView delivered = callbackOf(job);
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.lastStatus()).isEqualTo(200);
        assertThat(delivered.deliveredAt()).isNotNull();
    }

    @Test
    void aDelayedJobIsCalledBackWhenItEnds() {
        receiver = CallbackReceiver.start();
        JobView job = client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":10},\"delayMs\":50,\"callback\":{\"url\":\""
                    + receiver.url() + "\"}}")
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JobView.class).returnResult().getResponseBody();
        assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(job.callback().state()).isEqualTo(CallbackState.PENDING);

        await().atMost(DELIVERED).until(() -> callbackOf(job).state() == CallbackState.DELIVERED);

        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aReceiverAnswering503WithRetryAfterIsTriedAgainWithTheSameId() {
        receiver = CallbackReceiver.start(new CallbackReceiver.Reply(503, "1"));
        JobView job = submit("sleep", "{\"durationMs\":10}", receiver.url());

        await().atMost(DELIVERED).until(() -> callbackOf(job).state() == CallbackState.DELIVERED);

        assertThat(receiver.received()).hasSize(2)
            .extracting(received -> received.headers().get("webhook-id"))
            .containsOnly("msg_" + job.id() + "_1");
        assertThat(callbackOf(job)).extracting(CallbackView::attempts, CallbackView::lastStatus).containsExactly(2, 200);
    }

    @Test
    void redeliverIs409WhileTheJobRunsAnd202WithANewIdOnceItEnded() {
        receiver = CallbackReceiver.start();
        JobView job = submit("ticker", "{\"intervalMs\":1000}", receiver.url());
        String id = job.id().toString();

        redeliver(id).expectStatus().isEqualTo(409)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_TERMINAL.toString());
        client.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();
        await().atMost(DELIVERED).until(() -> callbackOf(job).state() == CallbackState.DELIVERED);

        redeliver(id).expectStatus().isAccepted()
            .expectBody().jsonPath("$.callback.url").isEqualTo(receiver.url());
        await().atMost(DELIVERED).until(() -> receiver.received().size() == 2);

        assertThat(receiver.received()).extracting(received -> received.headers().get("webhook-id"))
            .containsExactly("msg_" + id + "_1", "msg_" + id + "_2");
        assertThat(MAPPER.readTree(receiver.received().get(1).body()).get("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void redeliverIs404ForAJobWithoutACallbackAndForAnUnknownJob() {
        JobView plain = client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":10}}")
            .exchange().expectStatus().isAccepted()
            .expectBody(JobView.class).returnResult().getResponseBody();
        assertThat(plain.callback()).isNull();

        redeliver(plain.id().toString()).expectStatus().isNotFound()
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.CALLBACK_NOT_FOUND.toString());
        redeliver("00000000-0000-4000-8000-000000000000").expectStatus().isNotFound()
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.JOB_NOT_FOUND.toString());
    }
}
