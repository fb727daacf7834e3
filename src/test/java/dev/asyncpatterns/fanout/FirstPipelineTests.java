package dev.asyncpatterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import reactor.test.StepVerifier;

class FirstPipelineTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FanoutFixture fixture = new FanoutFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theFirstSuccessWinsAndTheOtherCallsAreAbortedAtTheUpstream() {
        CallResult winner = fixture.first.first(FanoutFixture.calls(fixture.urls("/delay/5000", "/delay/200", "/delay/5000"), null), FanoutFixture.CALLER)
            .block(WAIT);

        assertThat(winner.index()).isEqualTo(1);
        assertThat(winner.ok()).isTrue();
        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
    }

    @Test
    void anEarlierFailureDoesNotWin() {
        CallResult winner = fixture.first.first(FanoutFixture.calls(fixture.urls("/status/500", "/delay/100"), null), FanoutFixture.CALLER).block(WAIT);

        assertThat(winner.index()).isEqualTo(1);
    }

    @Test
    void whenEveryCallFailsTheAnswerListsEveryErrorInRequestOrder() {
        StepVerifier.create(fixture.first.first(FanoutFixture.calls(fixture.urls("/status/503?delayMs=200", "/status/500"), null), FanoutFixture.CALLER))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(AllCallsFailedException.class);
                AllCallsFailedException failed = (AllCallsFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(502);
                @SuppressWarnings("unchecked")
                List<CallResult> errors = (List<CallResult>) failed.getBody().getProperties().get("errors");
                assertThat(errors).extracting(CallResult::index).containsExactly(0, 1);
                assertThat(errors).extracting(r -> r.error().status()).containsExactly(503, 500);
            })
            .verify(WAIT);
    }

    @Test
    void pastTheTimeoutTheAnswerIs504AndTheCallsAreAborted() {
        StepVerifier.create(fixture.first.first(FanoutFixture.calls(fixture.urls("/delay/5000", "/delay/5000"), 400L), FanoutFixture.CALLER))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(FanoutTimeoutException.class))
            .verify(WAIT);

        await().atMost(WAIT).until(() -> fixture.upstream.aborted() == 2);
    }
}
