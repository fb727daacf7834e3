package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.asyncpatterns.jobs.JobType;
import dev.asyncpatterns.testsupport.RecordingUpstream;
import dev.asyncpatterns.web.ProblemTypes;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The per-caller quotas over HTTP, with API keys: outbound calls in flight summed over a caller's
 * fan-outs and fetch jobs ({@code max-urls-in-flight} 4), and CPU work of its cpu jobs
 * ({@code max-cpu-work} 3e9). A caller past one gets 429 naming it and nothing starts, another
 * caller is served, and once the first caller's work finishes, fails, times out or is cancelled it
 * is admitted again. Cancellations are checked at the upstream: the calls were really aborted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class QuotaIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ALICE = "alice-quota-key";
    private static final String BOB = "bob-quota-key";
    private static final int URLS_IN_FLIGHT = 4;
    private static final long CPU_WORK = 3_000_000_000L;
    /** Seconds of work on any machine: the cpu jobs here are cancelled long before they could end. */
    private static final long BIG_N = 2_000_000_000L;

    @Autowired
    private WebTestClient client;

    @Autowired
    private MeterRegistry meters;

    /** The cpu job type (package-private in its package), spied so one test can make it never end. */
    @MockitoSpyBean(name = "cpuJobType")
    @SuppressWarnings("rawtypes")
    private JobType cpuJobs;

    @LocalServerPort
    private int port;

    private final RecordingUpstream upstream = RecordingUpstream.start();
    private final List<String[]> started = new ArrayList<>();

    @DynamicPropertySource
    static void quotas(DynamicPropertyRegistry registry) {
        SecurityFixtures.key(registry, 0, "alice", ALICE, "operator");
        SecurityFixtures.key(registry, 1, "bob", BOB, "operator");
        registry.add("asyncpatterns.security.quota.max-urls-in-flight", () -> URLS_IN_FLIGHT);
        registry.add("asyncpatterns.security.quota.max-cpu-work", () -> CPU_WORK);
    }

    @AfterEach
    void cleanUp() {
        // WebTestClient reads a response body only when a test asks for it: an exchange whose body is
        // never asked for leaves Netty's buffers unreleased (a LEAK), so each one ends in expectBody,
        // expectBody(Void.class) where the content does not matter.
        for (String[] job : started) {
            client.post().uri("/api/jobs/{id}/cancel", job[1]).header("X-API-Key", job[0]).exchange()
                .expectBody(Void.class);
        }
        upstream.close();
    }

    private List<String> urls(String... paths) {
        return Arrays.stream(paths).map(upstream::url).toList();
    }

    private List<String> fast(int count) {
        return java.util.Collections.nCopies(count, upstream.url("/delay/1"));
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    private WebTestClient.ResponseSpec fanout(String key, String operation, Map<String, Object> body) {
        return client.post().uri("/api/fanout/" + operation).header("X-API-Key", key)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec job(String key, String type, Map<String, Object> params) {
        return client.post().uri("/api/jobs").header("X-API-Key", key).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body("type", type, "params", params)).exchange();
    }

    private String jobOk(String key, String type, Map<String, Object> params) {
        String id = (String) job(key, type, params).expectStatus().isAccepted().expectBody(Map.class)
            .returnResult().getResponseBody().get("id");
        started.add(new String[] {key, id});
        return id;
    }

    private void cancel(String key, String id) {
        client.post().uri("/api/jobs/{id}/cancel", id).header("X-API-Key", key).exchange().expectStatus().isAccepted()
            .expectBody(Void.class);
    }

    private static void refusedNaming(WebTestClient.ResponseSpec response, String quota, long limit, long inUse,
            long requested) {
        response.expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.QUOTA_EXCEEDED.toString())
            .jsonPath("$.title").isEqualTo("Quota exceeded: " + quota)
            .jsonPath("$.quota").isEqualTo(quota)
            .jsonPath("$.limit").isEqualTo(limit)
            .jsonPath("$.inUse").isEqualTo(inUse)
            .jsonPath("$.requested").isEqualTo(requested)
            .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                .contains("Caller 'alice'", "asyncpatterns.security.quota." + quota));
    }

    private double rejections(String quota) {
        return meters.get("asyncpatterns.security.quota.rejections").tag("quota", quota).counter().count();
    }

    @Test
    void aFanoutPastTheCallersUrlsInFlightGets429NamingItWhileAnotherCallerIsServedUntilTheStreamIsClosed() {
        double rejectedBefore = rejections(UrlsInFlightQuota.NAME);
        List<Object> lines = new CopyOnWriteArrayList<>();
        // Three calls reserved by one stream: one answers at once, two hang until the client goes away.
        Disposable stream = WebClient.create("http://127.0.0.1:" + port).post().uri("/api/fanout/stream")
            .header("X-API-Key", ALICE).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body("urls", urls("/delay/1", "/delay/30000", "/delay/30000")))
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() { })
            .subscribe(lines::add);
        await().atMost(WAIT).until(() -> lines.size() == 1 && upstream.running() == 2);
        int calledSoFar = upstream.started();

        refusedNaming(fanout(ALICE, "gather", body("urls", fast(2))), UrlsInFlightQuota.NAME, URLS_IN_FLIGHT, 3, 2);
        assertThat(upstream.started()).as("a refused request calls nothing").isEqualTo(calledSoFar);
        assertThat(rejections(UrlsInFlightQuota.NAME)).isEqualTo(rejectedBefore + 1);
        // A refused stream answers problem JSON too: the refusal comes before its first line.
        client.post().uri("/api/fanout/stream").header("X-API-Key", ALICE).contentType(MediaType.APPLICATION_JSON)
            .accept(MediaType.APPLICATION_NDJSON, MediaType.APPLICATION_PROBLEM_JSON)
            .bodyValue(body("urls", fast(2))).exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.quota").isEqualTo(UrlsInFlightQuota.NAME);
        fanout(BOB, "gather", body("urls", fast(4))).expectStatus().isOk().expectBody(Void.class);
        fanout(ALICE, "first", body("urls", fast(1))).expectStatus().isOk().expectBody(Void.class);

        stream.dispose();

        await().atMost(WAIT).until(() -> upstream.aborted() == 2);
        // The body is read before the status is asserted: a refused try must not leave its body unread.
        await().atMost(WAIT).untilAsserted(() -> assertThat(fanout(ALICE, "gather", body("urls", fast(4)))
            .expectBody(Void.class).returnResult().getStatus()).isEqualTo(HttpStatus.OK));
    }

    @Test
    void aFetchJobHoldsItsCallsUntilCancelledThenTheCallerMayFanOutAgain() {
        String fetch = jobOk(ALICE, "fetch", body("urls", urls("/delay/30000", "/delay/30000", "/delay/30000")));
        await().atMost(WAIT).until(() -> upstream.running() == 3);

        refusedNaming(fanout(ALICE, "wait", body("urls", fast(2))), UrlsInFlightQuota.NAME, URLS_IN_FLIGHT, 3, 2);
        refusedNaming(job(ALICE, "fetch", body("urls", fast(2))), UrlsInFlightQuota.NAME, URLS_IN_FLIGHT, 3, 2);
        assertThat(upstream.started()).as("refused requests call nothing").isEqualTo(3);
        fanout(BOB, "gather", body("urls", fast(4))).expectStatus().isOk().expectBody(Void.class);

        cancel(ALICE, fetch);

        await().atMost(WAIT).until(() -> upstream.aborted() == 3);
        fanout(ALICE, "gather", body("urls", fast(4))).expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void aRequestReservesTheLesserOfItsUrlsAndConcurrencyAndGivesThemBackHoweverItEnds() {
        fanout(ALICE, "gather", body("urls", fast(5))).expectStatus().isEqualTo(429)
            .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER)
            .expectBody().jsonPath("$.requested").isEqualTo(5).jsonPath("$.inUse").isEqualTo(0);
        fanout(ALICE, "gather", body("urls", fast(6), "concurrency", 4)).expectStatus().isOk().expectBody(Void.class);
        fanout(ALICE, "gather", body("urls", fast(6), "concurrency", 4)).expectStatus().isOk().expectBody(Void.class);

        fanout(ALICE, "gather", body("urls", urls("/delay/30000", "/delay/30000", "/delay/30000", "/delay/30000"),
                "timeoutMs", 300)).expectStatus().isEqualTo(504).expectBody(Void.class);
        fanout(ALICE, "gather", body("urls", urls("/status/500", "/delay/30000", "/delay/30000", "/delay/30000")))
            .expectStatus().isEqualTo(502).expectBody(Void.class);
        fanout(ALICE, "wait", body("urls", urls("/delay/1", "/delay/30000", "/delay/30000", "/delay/30000"),
                "returnWhen", "FIRST_COMPLETED")).expectStatus().isOk().expectBody(Void.class);
        fanout(ALICE, "first", body("urls", urls("/delay/1", "/delay/30000", "/delay/30000", "/delay/30000")))
            .expectStatus().isOk().expectBody(Void.class);

        fanout(ALICE, "gather", body("urls", fast(4))).expectStatus().isOk().expectBody(Void.class);
        await().atMost(WAIT).until(() -> upstream.running() == 0);
    }

    @Test
    void aCpuJobPastTheCallersCpuWorkGets429NamingItWhileAnotherCallerIsServedUntilTheJobEnds() {
        double rejectedBefore = rejections(CpuWorkQuota.NAME);
        String big = jobOk(ALICE, "cpu", body("n", BIG_N));

        refusedNaming(job(ALICE, "cpu", body("n", 1_500_000_000L)), CpuWorkQuota.NAME, CPU_WORK, BIG_N,
                1_500_000_000L);
        assertThat(rejections(CpuWorkQuota.NAME)).isEqualTo(rejectedBefore + 1);
        cancel(BOB, jobOk(BOB, "cpu", body("n", 1_500_000_000L)));
        cancel(ALICE, jobOk(ALICE, "cpu", body("n", CPU_WORK - BIG_N)));
        jobOk(ALICE, "sleep", body("durationMs", 10));

        cancel(ALICE, big);

        cancel(ALICE, jobOk(ALICE, "cpu", body("n", BIG_N)));
    }

    @Test
    void aTimedOutCpuJobGivesItsWorkBack() {
        // A cpu job that never ends by itself, so its timeout ends it however fast the machine is;
        // the timeout is long enough that the next request surely comes while it runs.
        doReturn(Mono.never()).when(cpuJobs).run(any(), any());
        String timed = (String) client.post().uri("/api/jobs").header("X-API-Key", ALICE)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body("type", "cpu", "params", body("n", BIG_N), "timeoutMs", 3000))
            .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody().get("id");
        started.add(new String[] {ALICE, timed});
        job(ALICE, "cpu", body("n", BIG_N)).expectStatus().isEqualTo(429).expectBody(Void.class);

        client.get().uri("/api/jobs/{id}?waitMs=10000", timed).header("X-API-Key", ALICE).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("TIMED_OUT");

        cancel(ALICE, jobOk(ALICE, "cpu", body("n", BIG_N)));
    }

    @Test
    void theOpenApiDocumentDescribesThe429OfEveryEndpointAQuotaGuards() {
        WebTestClient.BodyContentSpec docs = client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody();
        for (String operation : List.of("gather", "wait", "first", "stream")) {
            docs.jsonPath("$.paths['/api/fanout/" + operation + "'].post.responses['429'].description")
                .value(description -> assertThat((String) description).contains("max-urls-in-flight"));
            // The caller's address and principal are taken from the exchange, never asked of the client.
            docs.jsonPath("$.paths['/api/fanout/" + operation + "'].post.parameters").doesNotExist();
        }
        // Its one parameter is the client's own Idempotency-Key header.
        docs.jsonPath("$.paths['/api/jobs'].post.parameters[*].name")
            .value(names -> assertThat(names).isEqualTo(List.of("Idempotency-Key")));
        docs.jsonPath("$.paths['/api/jobs'].post.responses['429'].description")
            .value(description -> assertThat((String) description)
                .contains("max-active-jobs", "max-cpu-work", "max-urls-in-flight"));
    }
}
