package dev.asyncpatterns.security;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * One noisy caller gets 429s while the others are served: a token bucket per key (limit 10 per
 * minute, so nothing refills during the test) and an active-jobs quota of 2 per caller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class CallerLimitsIntegrationTests {

    private static final int LIMIT = 10;
    private static final String TICKER = "{\"type\": \"ticker\", \"params\": {\"intervalMs\": 1000}}";

    @Autowired
    private WebTestClient client;

    private final List<String[]> started = new ArrayList<>();

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        SecurityFixtures.key(registry, 0, "noisy", "noisy-key", "operator");
        SecurityFixtures.key(registry, 1, "quiet", "quiet-key", "operator");
        SecurityFixtures.key(registry, 2, "busy", "busy-key", "operator");
        SecurityFixtures.key(registry, 3, "other", "other-key", "operator");
        registry.add("asyncpatterns.security.rate-limit.limit-for-period", () -> LIMIT);
        registry.add("asyncpatterns.security.rate-limit.limit-refresh-period", () -> "60s");
        registry.add("asyncpatterns.security.quota.max-active-jobs", () -> 2);
    }

    private WebTestClient.ResponseSpec start(String key) {
        return client.post().uri("/api/jobs").header("X-API-Key", key).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(TICKER).exchange();
    }

    private String startOk(String key) {
        String id = (String) start(key).expectStatus().isAccepted().expectBody(java.util.Map.class).returnResult()
            .getResponseBody().get("id");
        started.add(new String[] {key, id});
        return id;
    }

    @AfterEach
    void cancelStartedJobs() {
        for (String[] job : started) {
            client.post().uri("/api/jobs/{id}/cancel", job[1]).header("X-API-Key", job[0]).exchange().expectBody(Void.class);
        }
    }

    @Test
    void aCallerPastItsRateGets429WithRetryAfterWhileOthersAreServed() {
        for (int i = 0; i < LIMIT; i++) {
            client.get().uri("/api/patterns").header("X-API-Key", "noisy-key").exchange().expectStatus().isOk().expectBody(Void.class);
        }
        client.get().uri("/api/patterns").header("X-API-Key", "noisy-key").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "[1-9][0-9]*")
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.RATE_LIMITED.toString())
            .jsonPath("$.limitForPeriod").isEqualTo(LIMIT);
        client.get().uri("/api/patterns").header("X-API-Key", "quiet-key").exchange().expectStatus().isOk().expectBody(Void.class);
        client.get().uri("/sim/delay/0").header("X-API-Key", "noisy-key").exchange().expectStatus().isOk().expectBody(Void.class);
        client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void aCallerPastItsActiveJobQuotaGets429NamingItWhileOthersStartJobs() {
        startOk("busy-key");
        startOk("busy-key");
        start("busy-key").expectStatus().isEqualTo(429)
            .expectHeader().exists(HttpHeaders.RETRY_AFTER)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.QUOTA_EXCEEDED.toString())
            .jsonPath("$.quota").isEqualTo("max-active-jobs")
            .jsonPath("$.limit").isEqualTo(2)
            .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                .contains("asyncpatterns.security.quota.max-active-jobs"));
        startOk("other-key");
        String first = started.get(0)[1];
        client.post().uri("/api/jobs/{id}/cancel", first).header("X-API-Key", "busy-key").exchange()
            .expectStatus().isAccepted().expectBody(Void.class);
        startOk("busy-key");
    }
}
