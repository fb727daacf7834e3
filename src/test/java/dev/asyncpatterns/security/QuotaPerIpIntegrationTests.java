package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.EagerResponseBodies;
import dev.asyncpatterns.testsupport.RecordingUpstream;
import reactor.netty.http.client.HttpClient;

/**
 * With no credential configured (anonymous callers on loopback) the quotas still apply, one
 * allowance per client IP: a second anonymous caller, connecting from another loopback address
 * (127.0.0.2), is served while the first is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuotaPerIpIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    private int port;

    private final RecordingUpstream upstream = RecordingUpstream.start();

    @DynamicPropertySource
    static void quota(DynamicPropertyRegistry registry) {
        registry.add("asyncpatterns.security.quota.max-urls-in-flight", () -> 2);
    }

    @AfterEach
    void close() {
        upstream.close();
    }

    /** A client whose connections leave from {@code source}, a loopback address of its own. */
    private WebTestClient from(String source) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(source, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http)).filter(new EagerResponseBodies())
            .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static WebTestClient.ResponseSpec post(WebTestClient client, String path, Map<String, Object> body) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void anonymousCallersAreHeldToTheQuotaOnePerIp() {
        WebTestClient first = from("127.0.0.1");
        WebTestClient second = from("127.0.0.2");
        String id = (String) post(first, "/api/jobs", Map.of("type", "fetch", "params",
                Map.of("urls", List.of(upstream.url("/delay/30000"), upstream.url("/delay/30000")))))
            .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody().get("id");
        await().atMost(WAIT).until(() -> upstream.running() == 2);

        post(first, "/api/fanout/gather", Map.of("urls", List.of(upstream.url("/delay/1"))))
            .expectStatus().isEqualTo(429)
            .expectBody()
            .jsonPath("$.quota").isEqualTo(UrlsInFlightQuota.NAME)
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("Anonymous caller 127.0.0.1 "));
        post(second, "/api/fanout/gather", Map.of("urls", List.of(upstream.url("/delay/1"), upstream.url("/delay/1"))))
            .expectStatus().isOk().expectBody(Void.class);

        first.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted().expectBody(Void.class);

        await().atMost(WAIT).until(() -> upstream.aborted() == 2);
        post(first, "/api/fanout/gather", Map.of("urls", List.of(upstream.url("/delay/1"), upstream.url("/delay/1"))))
            .expectStatus().isOk().expectBody(Void.class);
    }
}
