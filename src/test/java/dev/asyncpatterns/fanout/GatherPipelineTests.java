package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.CALLER;
import static dev.asyncpatterns.fanout.FanoutFixture.VERIFY;
import static dev.asyncpatterns.fanout.FanoutFixture.urls;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class GatherPipelineTests {

    private final FanoutFixture fixture = new FanoutFixture();

    private static GatherRequest request(List<String> urls, Integer concurrency, Long perCallTimeoutMs, Long timeoutMs,
            Boolean returnExceptions) {
        return new GatherRequest(urls, concurrency, perCallTimeoutMs, timeoutMs, returnExceptions, null, null);
    }

    @Test
    void resultsComeBackInRequestOrderOnceTheSlowestCallFinishes() {
        StepVerifier.withVirtualTime(() -> fixture.gather.gather(
                GatherRequest.of(urls("/delay/300", "/delay/1", "/delay/150")), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(299))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.results()).extracting(CallResult::index).containsExactly(0, 1, 2);
                assertThat(response.results()).extracting(r -> r.body().get("delayedMs").asInt())
                    .containsExactly(300, 1, 150);
                assertThat(response.succeeded()).isEqualTo(3);
                assertThat(response.failed()).isZero();
            })
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void concurrencyBoundsTheCallsInFlightAndANewCallStartsAsOneFinishes() {
        List<String> urls = urls(Collections.nCopies(12, "/delay/150").toArray(String[]::new));

        // Twelve calls of 150 ms, three at a time: four rounds.
        StepVerifier.withVirtualTime(() -> fixture.gather.gather(request(urls, 3, null, null, null), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(599))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> assertThat(response.succeeded()).isEqualTo(12))
            .expectComplete()
            .verify(VERIFY);

        assertThat(fixture.upstream.maxInFlight()).isEqualTo(3);
    }

    @Test
    void theFirstFailureFailsTheGatherAtOnceNamingTheCallAndCancelsTheOthers() {
        List<String> urls = urls("/delay/5000", "/status/500/300", "/delay/5000");

        StepVerifier.withVirtualTime(() -> fixture.gather.gather(request(urls, null, null, null, false), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(299))
            .thenAwait(Duration.ofMillis(1))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(GatherCallFailedException.class);
                GatherCallFailedException failed = (GatherCallFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(502);
                assertThat(failed.getBody().getProperties()).containsEntry("index", 1)
                    .containsEntry("url", urls.get(1)).containsEntry("cancelled", 2);
            })
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(2).assertWasCancelled();
        assertThat(fixture.calls("CANCELLED")).isEqualTo(2);
        assertThat(fixture.calls("HTTP_STATUS")).isEqualTo(1);
    }

    @Test
    void withReturnExceptionsFailuresAreResultsInTheirPlace() {
        List<String> urls = urls("/delay/1", "/status/404/0", "/delay/5000");

        StepVerifier.withVirtualTime(() -> fixture.gather.gather(request(urls, null, 1000L, null, true), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(999))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.results().get(0).ok()).isTrue();
                assertThat(response.results().get(1).failedWith(CallErrorType.HTTP_STATUS)).isTrue();
                assertThat(response.results().get(1).error().status()).isEqualTo(404);
                assertThat(response.results().get(2).failedWith(CallErrorType.TIMEOUT)).isTrue();
                assertThat(response.succeeded()).isEqualTo(1);
                assertThat(response.failed()).isEqualTo(2);
            })
            .expectComplete()
            .verify(VERIFY);

        assertThat(fixture.upstream.timeout(2)).as("perCallTimeoutMs reaches every call").isEqualTo(Duration.ofSeconds(1));
        assertThat(fixture.calls("OK")).isEqualTo(1);
        assertThat(fixture.calls("TIMEOUT")).isEqualTo(1);
        assertThat(fixture.calls("CANCELLED")).isZero();
    }

    @Test
    void pastTheTimeoutTheGatherFailsAndEveryRunningCallIsCancelled() {
        List<String> urls = urls("/delay/5000", "/delay/1", "/delay/5000");

        StepVerifier.withVirtualTime(() -> fixture.gather.gather(request(urls, null, null, 500L, true), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(499))
            .thenAwait(Duration.ofMillis(1))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(FanoutTimeoutException.class);
                FanoutTimeoutException timeout = (FanoutTimeoutException) error;
                assertThat(timeout.getStatusCode().value()).isEqualTo(504);
                assertThat(timeout.getBody().getProperties()).containsEntry("completed", 1)
                    .containsEntry("cancelled", 2);
            })
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(2).assertWasCancelled();
    }

    @Test
    void inTheBackgroundProgressCountsEachCallAsItCompletes() {
        List<Integer> progress = new CopyOnWriteArrayList<>();
        List<String> urls = urls("/held", "/held", "/held");
        VirtualUpstream upstream = fixture.upstream;

        StepVerifier.create(fixture.gather.gatherInBackground(GatherRequest.of(urls), progress::add))
            .then(() -> upstream.held(2).emit(VirtualUpstream.delayed(2, urls.get(2), 1)))
            .then(() -> assertThat(progress).containsExactly(1))
            .then(() -> upstream.held(0).emit(VirtualUpstream.delayed(0, urls.get(0), 2)))
            .then(() -> assertThat(progress).containsExactly(1, 2))
            .then(() -> upstream.held(1).emit(VirtualUpstream.delayed(1, urls.get(1), 3)))
            .assertNext(response -> {
                assertThat(response.results()).extracting(CallResult::index).containsExactly(0, 1, 2);
                assertThat(response.succeeded()).isEqualTo(3);
            })
            .expectComplete()
            .verify(VERIFY);

        assertThat(progress).containsExactly(1, 2, 3);
    }

    @Test
    void inTheBackgroundTheCallsAreCancelledWithTheSubscription() {
        Disposable gather = fixture.gather.gatherInBackground(GatherRequest.of(urls("/held", "/held")), n -> { })
            .subscribe();
        assertThat(fixture.upstream.started()).isEqualTo(2);

        gather.dispose();

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(1).assertWasCancelled();
    }

    @Test
    void inTheBackgroundARefusedUrlFailsTheGatherWithoutAnyCall() {
        StepVerifier.create(fixture.gather.gatherInBackground(
                GatherRequest.of(List.of(VirtualUpstream.url("/delay/1"), "http://elsewhere.example/")), n -> { }))
            .expectErrorMatches(error -> error.getMessage().contains("urls[1]"))
            .verify(VERIFY);

        assertThat(fixture.upstream.started()).isZero();
    }
}
