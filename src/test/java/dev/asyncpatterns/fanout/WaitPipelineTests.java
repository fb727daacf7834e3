package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.CALLER;
import static dev.asyncpatterns.fanout.FanoutFixture.VERIFY;
import static dev.asyncpatterns.fanout.FanoutFixture.urls;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class WaitPipelineTests {

    private final FanoutFixture fixture = new FanoutFixture();

    private Mono<WaitResponse> wait(List<String> urls, String returnWhen, Long timeoutMs) {
        return fixture.wait.wait(new WaitRequest(urls, null, null, timeoutMs, returnWhen, null, null), CALLER);
    }

    @Test
    void firstCompletedReturnsAsTheFirstCallFinishesAndCancelsThePendingOnes() {
        List<String> urls = urls("/delay/5000", "/delay/200", "/delay/5000");

        StepVerifier.withVirtualTime(() -> wait(urls, "FIRST_COMPLETED", null))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(199))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.done()).extracting(CallResult::index).containsExactly(1);
                assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(0, 2);
                assertThat(response.pending().get(0).url()).isEqualTo(urls.get(0));
            })
            .expectComplete()
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(2).assertWasCancelled();
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailureWithTheCallsDoneSoFar() {
        StepVerifier.withVirtualTime(() -> wait(urls("/delay/5000", "/status/500/300", "/delay/1"), "FIRST_EXCEPTION", null))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(299))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.done()).extracting(CallResult::index).containsExactly(1, 2);
                assertThat(response.done().get(0).ok()).isFalse();
                assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(0);
            })
            .expectComplete()
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
    }

    @Test
    void firstExceptionWithoutAFailureWaitsForAll() {
        StepVerifier.withVirtualTime(() -> wait(urls("/delay/100", "/delay/1"), "FIRST_EXCEPTION", null))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(99))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.done()).hasSize(2);
                assertThat(response.pending()).isEmpty();
            })
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void allCompletedIsTheDefaultAndListsEveryCallDoneInRequestOrder() {
        StepVerifier.withVirtualTime(() -> wait(urls("/delay/200", "/status/404/0", "/delay/1"), null, null))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(199))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.done()).extracting(CallResult::index).containsExactly(0, 1, 2);
                assertThat(response.pending()).isEmpty();
            })
            .expectComplete()
            .verify(VERIFY);

        for (int index = 0; index < 3; index++) {
            fixture.upstream.call(index).assertWasNotCancelled();
        }
    }

    @Test
    void theTimeoutEndsTheWaitWithoutAnErrorAndCancelsThePendingCalls() {
        StepVerifier.withVirtualTime(() -> wait(urls("/delay/1", "/delay/5000"), "ALL_COMPLETED", 500L))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(499))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.done()).extracting(CallResult::index).containsExactly(0);
                assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(1);
            })
            .expectComplete()
            .verify(VERIFY);

        fixture.upstream.call(1).assertWasCancelled();
    }
}
