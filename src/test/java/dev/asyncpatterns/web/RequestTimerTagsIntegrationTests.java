package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A request's observation carries no high-cardinality values (nothing here reads them), and its
 * timer keeps every tag the dashboards and alerts use.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class RequestTimerTagsIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private Queue<ServerRequestObservationContext> stopped;

    @Test
    void aRequestIsTimedWithItsTagsAndNoHighCardinalityValues() {
        client.get().uri("/sim/status/418").exchange().expectStatus().isEqualTo(418).expectBody(Void.class);

        ServerRequestObservationContext context = await().atMost(Duration.ofSeconds(10))
            .until(() -> stopped.stream()
                .filter(candidate -> candidate.getCarrier().getPath().value().equals("/sim/status/418"))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
        assertThat(context.getHighCardinalityKeyValues()).isEmpty();
        assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
            .contains("method", "uri", "status", "outcome", "exception");

        // The meter handler may stop the timer after the handler above has seen the observation stop.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Timer timer = meters.find("http.server.requests").tag("uri", "/sim/status/{code}").tag("method", "GET")
                .tag("status", "418").tag("outcome", "CLIENT_ERROR").tag("exception", "none").timer();
            assertThat(timer).isNotNull();
            assertThat(timer.count()).isPositive();
        });
    }

    @Test
    void eachRequestIsTimedOnceByRequestTimers(@Autowired RequestTimers timers) {
        for (int i = 0; i < 3; i++) {
            client.get().uri("/sim/status/419").exchange().expectStatus().isEqualTo(419).expectBody(Void.class);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Timer timer = meters.find("http.server.requests").tag("uri", "/sim/status/{code}").tag("status", "419").timer();
            assertThat(timer).isNotNull();
            assertThat(timer.count()).isEqualTo(3);
        });
        assertThat(timers.tagSets()).as("tag sets whose timer RequestTimers keeps").isPositive();
    }

    @TestConfiguration
    static class StoppedRequests {

        @Bean
        Queue<ServerRequestObservationContext> stoppedRequests() {
            return new ConcurrentLinkedQueue<>();
        }

        @Bean
        ObservationHandler<ServerRequestObservationContext> stoppedRequestsHandler(
                Queue<ServerRequestObservationContext> stoppedRequests) {
            return new ObservationHandler<>() {
                @Override
                public void onStop(ServerRequestObservationContext context) {
                    stoppedRequests.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return context instanceof ServerRequestObservationContext;
                }
            };
        }
    }
}
