package dev.asyncpatterns.cluster;

import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;

import reactor.core.publisher.Mono;

/**
 * {@code GET /api/cluster}'s HTTP edge with the membership mocked; the instances of a real
 * cluster are in the {@code Cluster…IntegrationTests}.
 */
@Import(WebSlice.class)
@WebFluxTest(controllers = ClusterController.class)
class ClusterControllerTests {

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private ClusterMembership membership;

    @Test
    void theClusterAnswers200WithEveryInstance() {
        Instant now = Instant.now();
        when(membership.status()).thenReturn(Mono.just(new ClusterStatus("postgres", "a",
                List.of(new ClusterStatus.Member("a", now, now, "UP", 2)))));

        client.get().uri("/api/cluster").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .jsonPath("$.self").isEqualTo("a")
            .jsonPath("$.instances[0].runningJobs").isEqualTo(2);
    }

    @Test
    void anUnavailableStoreAnswers503ProblemWithRetryAfter() {
        when(membership.status()).thenReturn(Mono.error(new StoreUnavailableException(new IllegalStateException("down"))));

        client.get().uri("/api/cluster").exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().exists("Retry-After")
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.status").isEqualTo(503);
    }
}
