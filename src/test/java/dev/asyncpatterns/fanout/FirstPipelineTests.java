package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.CALLER;
import static dev.asyncpatterns.fanout.FanoutFixture.VERIFY;
import static dev.asyncpatterns.fanout.FanoutFixture.calls;
import static dev.asyncpatterns.fanout.FanoutFixture.urls;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallResult;
import reactor.test.StepVerifier;

class FirstPipelineTests {

    private final FanoutFixture fixture = new FanoutFixture();

    @Test
    void theFirstSuccessWinsAsSoonAsItFinishesAndTheOtherCallsAreCancelled() {
        StepVerifier.withVirtualTime(() -> fixture.first.first(calls(urls("/delay/5000", "/delay/200", "/delay/5000"), null), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(199))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(winner -> {
                assertThat(winner.index()).isEqualTo(1);
                assertThat(winner.ok()).isTrue();
            })
            .expectComplete()
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(2).assertWasCancelled();
    }

    @Test
    void anEarlierFailureDoesNotWin() {
        StepVerifier.withVirtualTime(() -> fixture.first.first(calls(urls("/status/500/0", "/delay/100"), null), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(99))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(winner -> assertThat(winner.index()).isEqualTo(1))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void whenEveryCallFailsTheAnswerListsEveryErrorInRequestOrder() {
        StepVerifier.withVirtualTime(() -> fixture.first.first(calls(urls("/status/503/200", "/status/500/0"), null), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(199))
            .thenAwait(Duration.ofMillis(1))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(AllCallsFailedException.class);
                AllCallsFailedException failed = (AllCallsFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(502);
                @SuppressWarnings("unchecked")
                List<CallResult> errors = (List<CallResult>) failed.getBody().getProperties().get("errors");
                assertThat(errors).extracting(CallResult::index).containsExactly(0, 1);
                assertThat(errors).extracting(r -> r.error().status()).containsExactly(503, 500);
            })
            .verify(VERIFY);
    }

    @Test
    void pastTheTimeoutTheAnswerIs504AndTheCallsAreCancelled() {
        StepVerifier.withVirtualTime(() -> fixture.first.first(calls(urls("/delay/5000", "/delay/5000"), 400L), CALLER))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(399))
            .thenAwait(Duration.ofMillis(1))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(FanoutTimeoutException.class,
                    timeout -> assertThat(timeout.getStatusCode().value()).isEqualTo(504)))
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(1).assertWasCancelled();
    }
}
