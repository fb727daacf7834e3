package dev.asyncpatterns.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallPolicies;
import dev.asyncpatterns.outbound.CallPolicy;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.UnknownPolicyException;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.testsupport.ScriptedUpstream;
import dev.asyncpatterns.testsupport.ScriptedUpstream.Reply;
import dev.asyncpatterns.web.ProblemTypes;
import reactor.core.Disposable;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "resilience4j.retry.instances.quick.baseConfig=default",
    "resilience4j.retry.instances.quick.waitDuration=50ms",
    "resilience4j.retry.instances.quick.enableExponentialBackoff=false",
    "resilience4j.retry.instances.quick.enableRandomizedWait=false",
    "resilience4j.retry.instances.slow.baseConfig=default",
    "resilience4j.retry.instances.slow.maxAttempts=5",
    "resilience4j.retry.instances.slow.waitDuration=3s",
    "resilience4j.retry.instances.slow.enableExponentialBackoff=false",
    "resilience4j.retry.instances.slow.enableRandomizedWait=false",
    "resilience4j.circuitbreaker.instances.fragile.baseConfig=default",
    "resilience4j.circuitbreaker.instances.fragile.slidingWindowSize=2",
    "resilience4j.circuitbreaker.instances.fragile.minimumNumberOfCalls=2",
    "resilience4j.circuitbreaker.instances.fragile.waitDurationInOpenState=30s",
    "resilience4j.ratelimiter.instances.hourly.baseConfig=default",
    "resilience4j.ratelimiter.instances.hourly.limitForPeriod=1",
    "resilience4j.ratelimiter.instances.hourly.limitRefreshPeriod=1h",
    "resilience4j.ratelimiter.instances.hourly.timeoutDuration=0s",
    "resilience4j.ratelimiter.instances.hourly-fanout.baseConfig=default",
    "resilience4j.ratelimiter.instances.hourly-fanout.limitForPeriod=1",
    "resilience4j.ratelimiter.instances.hourly-fanout.limitRefreshPeriod=1h",
    "resilience4j.ratelimiter.instances.hourly-fanout.timeoutDuration=0s"})
@AutoConfigureWebTestClient
class CallsIntegrationTests {

    private static ScriptedUpstream upstream;

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @Autowired
    private CallPolicies policies;

    @Autowired
    private OutboundClient outbound;

    @Autowired
    private UrlAllowlist allowlist;

    @BeforeEach
    void allowForABusyMachine() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @BeforeAll
    static void startUpstream() {
        upstream = ScriptedUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void retriesTransientFailuresUntilSuccessAndReportsEveryAttempt() {
        upstream.script("/recovers", Reply.status(503), Reply.status(500), Reply.ok());

        post(Map.of("url", upstream.url("/recovers"), "retry", "quick"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.result.ok").isEqualTo(true)
            .jsonPath("$.result.status").isEqualTo(200)
            .jsonPath("$.result.body.request").isEqualTo(3)
            .jsonPath("$.attempts.length()").isEqualTo(3)
            .jsonPath("$.attempts[0].attempt").isEqualTo(1)
            .jsonPath("$.attempts[0].outcome").isEqualTo("HTTP_STATUS 503")
            .jsonPath("$.attempts[0].backoffMs").isEqualTo(50)
            .jsonPath("$.attempts[1].outcome").isEqualTo("HTTP_STATUS 500")
            .jsonPath("$.attempts[2].outcome").isEqualTo("OK 200")
            .jsonPath("$.attempts[2].backoffMs").doesNotExist();
        assertThat(upstream.requests("/recovers")).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesAnswerBadGatewayWithTheAttemptsAndTheLastResult() {
        upstream.script("/down", Reply.status(500));

        post(Map.of("url", upstream.url("/down"), "retry", "quick"))
            .expectStatus().isEqualTo(502)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.RETRIES_EXHAUSTED.toString())
            .jsonPath("$.attempts.length()").isEqualTo(3)
            .jsonPath("$.attempts[2].outcome").isEqualTo("HTTP_STATUS 500")
            .jsonPath("$.result.error.type").isEqualTo("HTTP_STATUS")
            .jsonPath("$.result.error.status").isEqualTo(500);
        assertThat(upstream.requests("/down")).isEqualTo(3);
    }

    @Test
    void aNotFoundIsNeverRetried() {
        upstream.script("/missing", Reply.status(404));

        post(Map.of("url", upstream.url("/missing"), "retry", "patient"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.result.ok").isEqualTo(false)
            .jsonPath("$.result.error.status").isEqualTo(404)
            .jsonPath("$.attempts.length()").isEqualTo(1)
            .jsonPath("$.attempts[0].outcome").isEqualTo("HTTP_STATUS 404");
        assertThat(upstream.requests("/missing")).isEqualTo(1);
    }

    @Test
    void theRetryWaitsForTheUpstreamsRetryAfterInsteadOfItsBackoff() {
        upstream.script("/busy", Reply.status(503).retryAfter("1"), Reply.ok());

        post(Map.of("url", upstream.url("/busy"), "retry", "quick"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.attempts[0].outcome").isEqualTo("HTTP_STATUS 503")
            .jsonPath("$.attempts[0].backoffMs").isEqualTo(1000)
            .jsonPath("$.attempts[1].outcome").isEqualTo("OK 200");
        assertThat(upstream.requests("/busy")).isEqualTo(2);
    }

    @Test
    void aRateLimiterWithoutAPermitInTimeAnswers429WithRetryAfterUntilItsNextRefresh() {
        upstream.script("/limited", Reply.ok());
        // One permit an hour and no waiting: the second call is refused, deterministically.
        Map<String, Object> body = Map.of("url", upstream.url("/limited"), "rateLimiter", "hourly");

        post(body).expectStatus().isOk().expectBody(Void.class);
        WebTestClient.ResponseSpec refused = post(body).expectStatus().isEqualTo(429)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        refused.expectHeader().value(HttpHeaders.RETRY_AFTER,
                value -> assertThat(Long.parseLong(value)).isBetween(3000L, 3600L));
        refused.expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.RATE_LIMITED.toString())
            .jsonPath("$.attempts[0].outcome").isEqualTo("RATE_LIMITED");
        assertThat(upstream.requests("/limited")).isEqualTo(1);
    }

    @Test
    void anOpenCircuitAnswers503WithRetryAfterWithoutCallingTheUpstream() {
        upstream.script("/broken", Reply.status(500));
        Map<String, Object> body = Map.of("url", upstream.url("/broken"), "circuitBreaker", "fragile");

        post(body).expectStatus().isEqualTo(502).expectBody(Void.class);
        post(body).expectStatus().isEqualTo(502).expectBody(Void.class);
        WebTestClient.ResponseSpec open = post(body).expectStatus().isEqualTo(503);
        open.expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 30L));
        open.expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.CIRCUIT_OPEN.toString())
            .jsonPath("$.attempts[0].outcome").isEqualTo("CIRCUIT_OPEN");
        assertThat(upstream.requests("/broken")).isEqualTo(2);

        client.get().uri("/api/policies").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.circuitBreakers[?(@.name == 'fragile')].state").isEqualTo("OPEN")
            .jsonPath("$.circuitBreakers[?(@.name == 'fragile')].failureRate").isEqualTo(100.0);
    }

    @Test
    void aClientThatDisconnectsDuringABackoffStopsTheRetries() {
        upstream.script("/flapping", Reply.status(503));
        upstream.script("/control", Reply.status(503));
        WebClient web = WebClient.create("http://127.0.0.1:" + port);

        Disposable call = callWithSlowRetry(web, "/flapping");
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests("/flapping") == 1);
        call.dispose();

        // A control call with the same 3 s backoff, started after the disconnect: its retry comes
        // after the one the disconnected call would have made, had its backoff gone on.
        Disposable control = callWithSlowRetry(web, "/control");
        await().atMost(Duration.ofSeconds(30)).until(() -> upstream.requests("/control") == 2);
        control.dispose();

        assertThat(upstream.requests("/flapping")).isEqualTo(1);
    }

    private Disposable callWithSlowRetry(WebClient web, String path) {
        return web.post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("url", upstream.url(path), "retry", "slow"))
            .retrieve().toBodilessEntity()
            .subscribe(response -> { }, error -> { });
    }

    @Test
    void unknownInstanceNamesAreABadRequestNamingTheFieldAndNoCallIsMade() {
        upstream.script("/never", Reply.ok());
        for (String field : new String[] {"rateLimiter", "retry", "circuitBreaker", "bulkhead", "timeLimiter"}) {
            post(Map.of("url", upstream.url("/never"), field, "no-such-instance"))
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo(field);
        }
        assertThat(upstream.requests("/never")).isZero();
    }

    @Test
    void aUrlOutsideTheAllowlistIsABadRequestNamingUrl() {
        post(Map.of("url", "http://example.com/", "retry", "default"))
            .expectStatus().isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field").isEqualTo("url");
        post(Map.of("retry", "default"))
            .expectStatus().isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field").isEqualTo("url");
    }

    @Test
    void everyInstanceInTheDocumentedOrderCallsTheSimulatedUpstream() {
        post(Map.of("url", "http://127.0.0.1:" + port + "/sim/delay/10", "rateLimiter", "default", "retry", "patient",
                "circuitBreaker", "default", "bulkhead", "default", "timeLimiter", "default"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.result.ok").isEqualTo(true)
            .jsonPath("$.result.body.delayedMs").isEqualTo(10)
            .jsonPath("$.attempts.length()").isEqualTo(1);
    }

    @Test
    void policiesListEveryShippedInstanceWithItsSettingsAndState() {
        client.get().uri("/api/policies").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.order").isEqualTo(PolicyCatalog.ORDER)
            .jsonPath("$.rateLimiters[?(@.name == 'default')].limitForPeriod").isEqualTo(10)
            .jsonPath("$.rateLimiters[?(@.name == 'strict')].limitForPeriod").isEqualTo(1)
            .jsonPath("$.rateLimiters[?(@.name == 'strict')].timeoutMs").isEqualTo(0)
            .jsonPath("$.rateLimiters[?(@.name == 'default')].availablePermissions").exists()
            .jsonPath("$.retries[?(@.name == 'default')].maxAttempts").isEqualTo(3)
            .jsonPath("$.retries[?(@.name == 'default')].waitDurationMs").isEqualTo(100)
            .jsonPath("$.retries[?(@.name == 'default')].exponentialBackoffMultiplier").isEqualTo(2.0)
            .jsonPath("$.retries[?(@.name == 'default')].randomizedWaitFactor").isEqualTo(0.5)
            .jsonPath("$.retries[?(@.name == 'default')].maxWaitMs").isEqualTo(2000)
            .jsonPath("$.retries[?(@.name == 'patient')].maxAttempts").isEqualTo(6)
            .jsonPath("$.retries[?(@.name == 'patient')].retryAfterCapMs").isEqualTo(5000)
            .jsonPath("$.circuitBreakers[?(@.name == 'default')].state").isEqualTo("CLOSED")
            .jsonPath("$.circuitBreakers[?(@.name == 'default')].failureRateThreshold").isEqualTo(50.0)
            .jsonPath("$.bulkheads[?(@.name == 'default')].maxConcurrentCalls").isEqualTo(20)
            .jsonPath("$.bulkheads[?(@.name == 'default')].maxWaitMs").isEqualTo(500)
            .jsonPath("$.bulkheads[?(@.name == 'default')].availableConcurrentCalls").isEqualTo(20)
            .jsonPath("$.timeLimiters[?(@.name == 'default')].timeoutMs").isEqualTo(2000);
    }

    @Test
    void resilience4jsActuatorEndpointsHealthAndMetersAreExposed() {
        for (String endpoint : new String[] {"ratelimiters", "ratelimiterevents", "retries", "retryevents",
            "circuitbreakers", "circuitbreakerevents", "bulkheads", "bulkheadevents", "timelimiters",
            "timelimiterevents"}) {
            // Read, even unasserted: WebTestClient leaves an unread body's Netty buffers unreleased.
            client.get().uri("/actuator/" + endpoint).exchange().expectStatus().isOk().expectBody(Void.class);
        }
        client.get().uri("/actuator/retries").exchange().expectBody()
            .jsonPath("$.retries").value(names -> assertThat(names.toString()).contains("default", "patient"));
        client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.components.circuitBreakers").exists()
            .jsonPath("$.components.rateLimiters").exists();
        String prometheus = client.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
            .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("resilience4j_ratelimiter_available_permissions",
                "resilience4j_retry_calls_total", "resilience4j_circuitbreaker_state",
                "resilience4j_bulkhead_available_concurrent_calls", "resilience4j_timelimiter_calls_total");
    }

    @Test
    void theFanOutPolicyRetriesThroughTheSameInstancesAndReportsTheLastFailureWhenExhausted() {
        upstream.script("/fanout-recovers", Reply.status(503), Reply.ok());
        upstream.script("/fanout-down", Reply.status(502));
        CallPolicy policy = policies.resolve(null, "quick");

        CallResult recovered = policy.apply(outbound.fetch(3, allowlist.check(3, upstream.url("/fanout-recovers"))))
            .block(Duration.ofSeconds(30));
        CallResult exhausted = policy.apply(outbound.fetch(4, allowlist.check(4, upstream.url("/fanout-down"))))
            .block(Duration.ofSeconds(30));

        assertThat(recovered.ok()).isTrue();
        assertThat(upstream.requests("/fanout-recovers")).isEqualTo(2);
        assertThat(exhausted.index()).isEqualTo(4);
        assertThat(exhausted.error().status()).isEqualTo(502);
        assertThat(upstream.requests("/fanout-down")).isEqualTo(3);
    }

    @Test
    void aFanOutCallTheRateLimiterRefusesIsARateLimitedResultForItsIndexAndUrlAndIsNeverMade() {
        upstream.script("/fanout-limited", Reply.ok());
        CallPolicy policy = policies.resolve("hourly-fanout", null);
        String url = upstream.url("/fanout-limited");

        List<CallResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(policy.apply(outbound.fetch(i, allowlist.check(i, url))).block(Duration.ofSeconds(30)));
        }

        assertThat(results.get(0).ok()).isTrue();
        assertThat(results.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.failedWith(CallErrorType.RATE_LIMITED)).isTrue();
            assertThat(r.url()).isEqualTo(url);
        });
        assertThat(results).extracting(CallResult::index).containsExactly(0, 1, 2);
        assertThat(upstream.requests("/fanout-limited")).isEqualTo(1);
    }

    @Test
    void theFanOutPolicyRefusesUnknownNamesNamingTheField() {
        assertThatThrownBy(() -> policies.resolve("nope", null)).isInstanceOfSatisfying(UnknownPolicyException.class,
                ex -> assertThat(ex.getBody().getDetail()).startsWith("rateLimiter:"));
        assertThatThrownBy(() -> policies.resolve(null, "nope")).isInstanceOfSatisfying(UnknownPolicyException.class,
                ex -> assertThat(ex.getBody().getDetail()).startsWith("retry:"));
        assertThat(policies.resolve(null, null)).isSameAs(CallPolicy.NONE);
    }

    private WebTestClient.ResponseSpec post(Map<String, ?> body) {
        return client.post().uri("/api/calls").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
