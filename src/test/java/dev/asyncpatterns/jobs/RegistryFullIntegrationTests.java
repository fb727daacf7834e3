package dev.asyncpatterns.jobs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"asyncpatterns.jobs.max-active=2", "asyncpatterns.jobs.retry-after-seconds=3"})
@AutoConfigureWebTestClient(timeout = "30s")
class RegistryFullIntegrationTests {

    private static final String TICKER = "{\"type\":\"ticker\",\"params\":{\"intervalMs\":1000}}";

    @Autowired
    private WebTestClient client;

    private WebTestClient.ResponseSpec startTicker() {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(TICKER).exchange();
    }

    @Test
    void pastMaxActiveAJobIsRefusedWith429AndRetryAfterUntilASlotFrees() {
        JobView first = startTicker().expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();
        JobView second = startTicker().expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();

        startTicker()
            .expectStatus().isEqualTo(429)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3")
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.REGISTRY_FULL.toString())
            .jsonPath("$.maxActive").isEqualTo(2)
            .jsonPath("$.detail").exists();
        client.get().uri("/actuator/health").exchange().expectBody()
            .jsonPath("$.components.jobRegistry.details.active").isEqualTo(2)
            .jsonPath("$.components.jobRegistry.details.maxActive").isEqualTo(2);

        client.post().uri("/api/jobs/{id}/cancel", first.id().toString()).exchange().expectStatus().isAccepted().expectBody(Void.class);
        JobView third = startTicker().expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();

        client.post().uri("/api/jobs/{id}/cancel", second.id().toString()).exchange().expectStatus().isAccepted().expectBody(Void.class);
        client.post().uri("/api/jobs/{id}/cancel", third.id().toString()).exchange().expectStatus().isAccepted().expectBody(Void.class);
    }
}
