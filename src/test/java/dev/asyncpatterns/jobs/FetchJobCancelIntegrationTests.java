package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.RecordingUpstream;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A fetch job started and cancelled over HTTP: the cancel reaches the network, not only the job's state. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class FetchJobCancelIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    private WebTestClient client;

    private final RecordingUpstream upstream = RecordingUpstream.start();

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void cancellingAFetchJobAbortsItsRunningCallsAtTheUpstream() {
        Map<String, Object> request = Map.of("type", "fetch", "params",
                Map.of("urls", new String[] {upstream.url("/delay/10000"), upstream.url("/delay/10000")}));
        String id = client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JobView.class).returnResult().getResponseBody().id().toString();
        await().atMost(WAIT).until(() -> upstream.running() == 2);

        client.post().uri("/api/jobs/{id}/cancel", id).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED").jsonPath("$.cancelReason").isEqualTo("USER");

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .as("%s", upstream.snapshot()).containsExactly("/delay/10000", "/delay/10000"));
        assertThat(upstream.completed()).isZero();
    }
}
