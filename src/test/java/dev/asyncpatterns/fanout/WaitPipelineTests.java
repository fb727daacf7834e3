package dev.asyncpatterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;

class WaitPipelineTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FanoutFixture fixture = new FanoutFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private WaitResponse wait(List<String> urls, String returnWhen, Long timeoutMs) {
        return fixture.wait.wait(new WaitRequest(urls, null, null, timeoutMs, returnWhen, null, null), FanoutFixture.CALLER).block(WAIT);
    }

    @Test
    void firstCompletedReturnsTheFirstCallAndAbortsThePendingOnesAtTheUpstream() {
        WaitResponse response = wait(fixture.urls("/delay/5000", "/delay/200", "/delay/5000"), "FIRST_COMPLETED", null);

        assertThat(response.done()).extracting(CallResult::index).containsExactly(1);
        assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(0, 2);
        assertThat(response.pending().get(0).url()).isEqualTo(fixture.upstream.url("/delay/5000"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailureWithTheCallsDoneSoFar() {
        WaitResponse response = wait(fixture.urls("/delay/5000", "/status/500?delayMs=300", "/delay/1"),
                "FIRST_EXCEPTION", null);

        assertThat(response.done()).extracting(CallResult::index).containsExactly(1, 2);
        assertThat(response.done().get(0).ok()).isFalse();
        assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fixture.upstream.urisWith(Fate.ABORTED))
            .as("%s", fixture.upstream.snapshot()).containsExactly("/delay/5000"));
    }

    @Test
    void firstExceptionWithoutAFailureWaitsForAll() {
        WaitResponse response = wait(fixture.urls("/delay/100", "/delay/1"), "FIRST_EXCEPTION", null);

        assertThat(response.done()).hasSize(2);
        assertThat(response.pending()).isEmpty();
    }

    @Test
    void allCompletedIsTheDefaultAndListsEveryCallDoneInRequestOrder() {
        WaitResponse response = wait(fixture.urls("/delay/200", "/status/404", "/delay/1"), null, null);

        assertThat(response.done()).extracting(CallResult::index).containsExactly(0, 1, 2);
        assertThat(response.pending()).isEmpty();
        assertThat(fixture.upstream.aborted()).isZero();
    }

    @Test
    void theTimeoutEndsTheWaitWithoutAnErrorAndAbortsThePendingCalls() {
        WaitResponse response = wait(fixture.urls("/delay/1", "/delay/5000"), "ALL_COMPLETED", 500L);

        assertThat(response.done()).extracting(CallResult::index).containsExactly(0);
        assertThat(response.pending()).extracting(WaitResponse.PendingCall::index).containsExactly(1);
        assertThat(response.elapsedMs()).isBetween(500L, 5000L);
        await().atMost(WAIT).until(() -> fixture.upstream.aborted() == 1);
    }
}
