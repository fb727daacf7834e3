package dev.asyncpatterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import reactor.test.StepVerifier;

class GatherPipelineTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FanoutFixture fixture = new FanoutFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static GatherRequest request(List<String> urls, Integer concurrency, Long perCallTimeoutMs, Long timeoutMs,
            Boolean returnExceptions) {
        return new GatherRequest(urls, concurrency, perCallTimeoutMs, timeoutMs, returnExceptions, null, null);
    }

    @Test
    void resultsComeBackInRequestOrderWhateverOrderTheyFinishIn() {
        GatherResponse response = fixture.gather.gather(GatherRequest.of(fixture.urls("/delay/300", "/delay/1",
                "/delay/150")), FanoutFixture.CALLER).block(WAIT);

        assertThat(response.results()).extracting(CallResult::index).containsExactly(0, 1, 2);
        assertThat(response.results()).extracting(r -> r.body().get("delayedMs").asInt()).containsExactly(300, 1, 150);
        assertThat(response.succeeded()).isEqualTo(3);
        assertThat(response.failed()).isZero();
        assertThat(response.elapsedMs()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void concurrencyBoundsTheCallsInFlightAtTheUpstream() {
        List<String> urls = fixture.urls(Collections.nCopies(12, "/delay/150").toArray(String[]::new));

        GatherResponse response = fixture.gather.gather(request(urls, 3, null, null, null), FanoutFixture.CALLER).block(WAIT);

        assertThat(response.succeeded()).isEqualTo(12);
        assertThat(fixture.upstream.maxInFlight()).isLessThanOrEqualTo(3).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theFirstFailureCancelsTheOtherCallsAtTheUpstreamAndNamesTheFailedCall() {
        List<String> urls = fixture.urls("/delay/5000", "/status/500?delayMs=300", "/delay/5000");

        StepVerifier.create(fixture.gather.gather(request(urls, null, null, null, false), FanoutFixture.CALLER))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(GatherCallFailedException.class);
                GatherCallFailedException failed = (GatherCallFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(502);
                assertThat(failed.getBody().getProperties()).containsEntry("index", 1)
                    .containsEntry("url", urls.get(1)).containsEntry("cancelled", 2);
                assertThat(failed.getMessage()).contains("urls[1]", "HTTP_STATUS");
            })
            .verify(WAIT);

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
        assertThat(fixture.calls("CANCELLED")).isEqualTo(2);
        assertThat(fixture.calls("HTTP_STATUS")).isEqualTo(1);
    }

    @Test
    void withReturnExceptionsFailuresAreResultsInTheirPlace() {
        GatherResponse response = fixture.gather.gather(request(fixture.urls("/delay/1", "/status/404", "/delay/5000"),
                null, 1000L, null, true), FanoutFixture.CALLER).block(WAIT);

        assertThat(response.results().get(0).ok()).isTrue();
        assertThat(response.results().get(1).failedWith(CallErrorType.HTTP_STATUS)).isTrue();
        assertThat(response.results().get(1).error().status()).isEqualTo(404);
        assertThat(response.results().get(2).failedWith(CallErrorType.TIMEOUT)).isTrue();
        assertThat(response.succeeded()).isEqualTo(1);
        assertThat(response.failed()).isEqualTo(2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000"));
        assertThat(fixture.calls("OK")).isEqualTo(1);
        assertThat(fixture.calls("TIMEOUT")).isEqualTo(1);
    }

    @Test
    void pastTheTimeoutTheGatherFailsAndEveryRunningCallIsAborted() {
        List<String> urls = fixture.urls("/delay/5000", "/delay/1", "/delay/5000");

        StepVerifier.create(fixture.gather.gather(request(urls, null, null, 500L, true), FanoutFixture.CALLER))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(FanoutTimeoutException.class);
                FanoutTimeoutException timeout = (FanoutTimeoutException) error;
                assertThat(timeout.getStatusCode().value()).isEqualTo(504);
                assertThat(timeout.getBody().getProperties()).containsEntry("completed", 1)
                    .containsEntry("cancelled", 2);
            })
            .verify(WAIT);

        await().atMost(WAIT).until(() -> fixture.upstream.aborted() == 2);
    }

    @Test
    void inTheBackgroundProgressCountsEachCompletedCall() {
        List<Integer> progress = new CopyOnWriteArrayList<>();

        GatherResponse response = fixture.gather.gatherInBackground(GatherRequest.of(fixture.urls("/delay/1",
                "/delay/50", "/delay/100")), progress::add).block(WAIT);

        assertThat(response.succeeded()).isEqualTo(3);
        assertThat(progress).containsExactly(1, 2, 3);
    }

    @Test
    void inTheBackgroundARefusedUrlFailsTheGatherWithoutAnyRequest() {
        StepVerifier.create(fixture.gather.gatherInBackground(
                GatherRequest.of(List.of(fixture.upstream.url("/delay/1"), "http://elsewhere.example/")), n -> { }))
            .expectErrorMatches(error -> error.getMessage().contains("urls[1]"))
            .verify(WAIT);

        assertThat(fixture.upstream.started()).isZero();
    }
}
