package dev.asyncpatterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import reactor.test.StepVerifier;

class StreamPipelineTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FanoutFixture fixture = new FanoutFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void resultsArriveInCompletionOrder() {
        StepVerifier.create(fixture.stream.stream(FanoutFixture.calls(fixture.urls("/delay/600", "/delay/1", "/delay/300"), null), FanoutFixture.CALLER)
                .map(CallResult::index))
            .expectNext(1, 2, 0)
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void cancellingTheStreamAbortsTheRunningCallsAtTheUpstream() {
        StepVerifier.create(fixture.stream.stream(FanoutFixture.calls(fixture.urls("/delay/5000", "/delay/100", "/delay/5000"), null), FanoutFixture.CALLER))
            .expectNextMatches(result -> result.index() == 1)
            .thenCancel()
            .verify(WAIT);

        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
    }

    @Test
    void pastTheTimeoutEachUnfinishedCallGetsACancelledLine() {
        StepVerifier.create(fixture.stream.stream(FanoutFixture.calls(fixture.urls("/delay/5000", "/delay/1"), 500L), FanoutFixture.CALLER))
            .expectNextMatches(result -> result.index() == 1 && result.ok())
            .expectNextMatches(result -> result.index() == 0 && result.failedWith(CallErrorType.CANCELLED))
            .expectComplete()
            .verify(WAIT);

        await().atMost(WAIT).until(() -> fixture.upstream.aborted() == 1);
    }
}
