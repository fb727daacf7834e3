package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The Grafana dashboard queries only metrics the service really exports: after a short workload
 * (a job run to completion, a fan-out with a success and a failure, a call through a rate limiter,
 * a retry and a circuit breaker, an event-loop lag sample) every name in
 * {@code config/grafana/dashboard-metrics.txt} appears in {@code /actuator/prometheus}.
 * The grafana-dashboard CI check keeps that list equal to what the dashboards query.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "asyncpatterns.eventloop.interval=20ms")
@AutoConfigureWebTestClient
class DashboardMetricsIntegrationTests {

    private static final Path DASHBOARD_METRICS = Path.of("config/grafana/dashboard-metrics.txt");

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @Test
    void everyMetricTheDashboardQueriesIsExportedAfterAShortWorkload() throws IOException {
        List<String> wanted = Files.readAllLines(DASHBOARD_METRICS).stream().filter(line -> !line.isBlank()).toList();
        assertThat(wanted).as("the dashboard's metric list").isNotEmpty();

        runAJobToCompletion();
        fanOutWithASuccessAndAFailure();
        callThroughRateLimiterRetryAndCircuitBreaker();

        // The lag probe samples every 20 ms, and the timers' first sample may land after the workload.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(exportedNames()).as("metric names in /actuator/prometheus").containsAll(wanted));
    }

    private void runAJobToCompletion() {
        String id = client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", Map.of("durationMs", 50, "steps", 2)))
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        client.get().uri("/api/jobs/{id}?waitMs=10000", id).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.state").isEqualTo("SUCCEEDED");
    }

    private void fanOutWithASuccessAndAFailure() {
        client.post().uri("/api/fanout/gather").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("urls", List.of(sim("/delay/10"), sim("/status/500")), "returnExceptions", true))
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.succeeded").isEqualTo(1)
            .jsonPath("$.failed").isEqualTo(1);
    }

    private void callThroughRateLimiterRetryAndCircuitBreaker() {
        client.post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("url", sim("/status/200"),
                    "rateLimiter", "default", "retry", "default", "circuitBreaker", "default"))
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.result.ok").isEqualTo(true)
            .jsonPath("$.attempts.length()").isEqualTo(1);
    }

    private Set<String> exportedNames() {
        String scrape = client.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).isNotNull();
        // Sample lines are `name{labels} value` or `name value`; comments start with #.
        return scrape.lines()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .map(line -> line.split("[{ ]", 2)[0])
            .collect(Collectors.toSet());
    }

    private String sim(String path) {
        return "http://localhost:" + port + "/sim" + path;
    }
}
