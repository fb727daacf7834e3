package dev.asyncpatterns.fanout;

import static dev.asyncpatterns.fanout.FanoutFixture.CALLER;
import static dev.asyncpatterns.fanout.FanoutFixture.VERIFY;
import static dev.asyncpatterns.fanout.FanoutFixture.calls;
import static dev.asyncpatterns.fanout.FanoutFixture.urls;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import reactor.test.StepVerifier;

class StreamPipelineTests {

    private final FanoutFixture fixture = new FanoutFixture();

    @Test
    void eachResultArrivesAsItsCallFinishes() {
        StepVerifier.withVirtualTime(() -> fixture.stream.stream(calls(urls("/delay/600", "/delay/1", "/delay/300"), null), CALLER)
                .map(CallResult::index))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(1))
            .expectNext(1)
            .expectNoEvent(Duration.ofMillis(299))
            .expectNext(2)
            .expectNoEvent(Duration.ofMillis(300))
            .expectNext(0)
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void cancellingTheStreamCancelsTheRunningCalls() {
        StepVerifier.withVirtualTime(() -> fixture.stream.stream(calls(urls("/delay/5000", "/delay/100", "/delay/5000"), null), CALLER))
            .expectSubscription()
            .thenAwait(Duration.ofMillis(100))
            .expectNextMatches(result -> result.index() == 1)
            .thenCancel()
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
        fixture.upstream.call(2).assertWasCancelled();
    }

    @Test
    void pastTheTimeoutEachUnfinishedCallGetsACancelledLine() {
        StepVerifier.withVirtualTime(() -> fixture.stream.stream(calls(urls("/delay/5000", "/delay/1"), 500L), CALLER))
            .expectSubscription()
            .thenAwait(Duration.ofMillis(1))
            .expectNextMatches(result -> result.index() == 1 && result.ok())
            .expectNoEvent(Duration.ofMillis(498))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(result -> {
                assertThat(result.index()).isZero();
                assertThat(result.failedWith(CallErrorType.CANCELLED)).isTrue();
            })
            .expectComplete()
            .verify(VERIFY);

        fixture.upstream.call(0).assertWasCancelled();
    }
}
