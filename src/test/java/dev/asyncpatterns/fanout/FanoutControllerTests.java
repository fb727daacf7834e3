package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.body;
import static dev.asyncpatterns.fanout.FanoutFixture.urls;
import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.testsupport.WebSlice;

/**
 * Section 2's HTTP edge: status codes, content types, validation and problem JSON. The controller
 * runs its real pipelines and planner; only the outbound client beneath them is the
 * {@link VirtualUpstream}, so no request leaves. Real calls, timeouts and aborted connections are
 * {@code FanoutIntegrationTests}' part.
 */
@Import(WebSlice.class)
@WebFluxTest(controllers = FanoutController.class,
        properties = "asyncpatterns.outbound.allowed-hosts=" + VirtualUpstream.HOST)
class FanoutControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties({FanoutProperties.class, OutboundProperties.class})
    @Import({GatherPipeline.class, WaitPipeline.class, FirstPipeline.class, StreamPipeline.class,
        FanoutPlanner.class, FanoutCalls.class, UrlAllowlist.class})
    static class Pipelines {

        @Bean
        VirtualUpstream upstream() {
            return new VirtualUpstream(Duration.ofSeconds(10), Duration.ofSeconds(120));
        }

        @Bean
        OutboundClient outboundClient(VirtualUpstream upstream) {
            return upstream.client();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private VirtualUpstream upstream;

    private WebTestClient.ResponseSpec post(String path, Map<String, ?> body) {
        return client.post().uri("/api/fanout/" + path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
            .exchange();
    }


    @Test
    void gatherAnswers200WithEveryResultInRequestOrder() {
        post("gather", body("urls", urls("/delay/20", "/delay/1")))
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .jsonPath("$.results[0].index").isEqualTo(0)
            .jsonPath("$.results[1].index").isEqualTo(1)
            .jsonPath("$.succeeded").isEqualTo(2)
            .jsonPath("$.failed").isEqualTo(0);
    }

    @Test
    void gatherWhoseCallFailsAnswers502ProblemNamingTheCall() {
        expectProblem(post("gather", body("urls", urls("/delay/1", "/status/500/0"))), 502)
            .jsonPath("$.index").isEqualTo(1)
            .jsonPath("$.error.status").isEqualTo(500);
    }

    @Test
    void waitAnswers200WithDoneAndPending() {
        post("wait", body("urls", urls("/delay/1"), "returnWhen", "FIRST_COMPLETED"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.done[0].index").isEqualTo(0)
            .jsonPath("$.pending.length()").isEqualTo(0);
    }

    @Test
    void firstWhenEveryCallFailsAnswers502ProblemListingEveryError() {
        expectProblem(post("first", body("urls", urls("/status/500/0", "/status/404/0"))), 502)
            .jsonPath("$.errors.length()").isEqualTo(2);
    }

    @Test
    void streamAnswersNdjson() {
        List<Map<String, Object>> lines = client.post().uri("/api/fanout/stream")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body("urls", urls("/delay/1", "/delay/1")))
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .expectBodyList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
            .returnResult().getResponseBody();

        assertThat(lines).hasSize(2);
    }

    @Test
    void badInputAnswers400NamingTheFieldAndNoCallIsMade() {
        List<String> one = urls("/delay/1");
        int calls = upstream.started();
        badRequest("gather", body("urls", List.of()), "urls");
        badRequest("gather", body("urls", Collections.nCopies(1001, one.get(0))), "urls");
        badRequest("gather", body("urls", one, "concurrency", 0), "concurrency");
        badRequest("gather", body("urls", one, "concurrency", 1001), "concurrency");
        badRequest("gather", body("urls", one, "perCallTimeoutMs", 120_001), "perCallTimeoutMs");
        badRequest("gather", body("urls", one, "timeoutMs", 600_001), "timeoutMs");
        badRequest("gather", body("urls", List.of("not a url")), "urls[0]");
        badRequest("gather", body("urls", List.of("ftp://" + VirtualUpstream.HOST + "/x")), "urls[0]");
        badRequest("gather", body("urls", List.of(one.get(0), "http://elsewhere.example/")), "urls[1]");
        badRequest("gather", body("urls", one, "rateLimiter", "fast"), "rateLimiter");
        badRequest("first", body("urls", one, "retry", "twice"), "retry");
        badRequest("wait", body("urls", one, "returnWhen", "SOMETIMES"), "returnWhen");
        badRequest("stream", body("urls", List.of()), "urls");
        assertThat(upstream.started()).isEqualTo(calls);
    }

    @Test
    void aBodyThatIsNotJsonAnswers415Problem() {
        expectProblem(client.post().uri("/api/fanout/gather").contentType(MediaType.TEXT_PLAIN).bodyValue("urls")
            .exchange(), 415);
    }

    private void badRequest(String path, Map<String, ?> body, String field) {
        expectInvalid(post(path, body), field);
    }
}
