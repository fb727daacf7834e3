package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

/**
 * Without credentials every request takes the short chain (SecurityConfiguration#edgeOnlyChain):
 * only the filters that have an effect, and each of them still does its part: the audit line, the
 * security headers, the per-caller rate limit, and the firewall in front of the chain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ExtendWith(OutputCaptureExtension.class)
class AnonymousChainIntegrationTests {

    private static final int LIMIT = 5;

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void rateLimit(DynamicPropertyRegistry registry) {
        registry.add("asyncpatterns.security.rate-limit.limit-for-period", () -> LIMIT);
        registry.add("asyncpatterns.security.rate-limit.limit-refresh-period", () -> "60s");
    }

    @Test
    void theChainHoldsTheAuditLineTheHeadersAndTheRateLimitNothingElse(@Autowired List<SecurityWebFilterChain> chains) {
        List<WebFilter> filters = SecurityChains.servingChain(chains, "/api/jobs").getWebFilters()
            .collectList().block(Duration.ofSeconds(5));

        assertThat(filters).extracting(filter -> (Object) filter.getClass())
            .containsExactly(AuditLog.class, HttpHeaderWriterWebFilter.class, CallerRateLimiter.class);
    }

    @Test
    void theChainsAreChosenByFirstMatchingChainInPlaceOfSpringSecuritysProxy(@Autowired WebFilterChainProxy proxy) {
        assertThat(proxy).isInstanceOf(FirstMatchingChain.class);
    }

    @Test
    void anAnonymousCallIsAuditedHeadedLimitedAndFirewalled(CapturedOutput output) {
        String id = (String) client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").exchange()
            .expectStatus().isAccepted()
            .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
            .expectHeader().valueEquals("X-Frame-Options", "DENY")
            .expectBody(Map.class).returnResult().getResponseBody().get("id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getOut())
            .contains("audit who=anonymous ip=127.0.0.1 what=\"POST /api/jobs\" job=" + id + " outcome=202"));

        client.get().uri("/api/jobs/{id}/..;/x", id).exchange().expectStatus().isBadRequest().expectBody(Void.class);

        for (int i = 1; i < LIMIT; i++) {
            client.get().uri("/api/patterns").exchange().expectStatus().isOk().expectBody(Void.class);
        }
        client.get().uri("/api/patterns").exchange().expectStatus().isEqualTo(429).expectBody(Void.class);
    }
}
