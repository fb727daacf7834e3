package dev.asyncpatterns.callbacks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The schedule of tries under virtual time: Mono.delay waits on the virtual clock. */
class CallbackDeliveryTests {

    private static final String URL = "http://127.0.0.1:9/hooks";
    private static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY";

    private final OutboundClient client = mock(OutboundClient.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Callback callback = new Callback("42", new UrlAllowlist(new OutboundProperties(List.of("127.0.0.1"),
            1024, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 1, 1, Duration.ofSeconds(1),
            Duration.ofSeconds(1), 0)).check(0, URL));
    private final byte[] body = "{\"id\":\"42\"}".getBytes(StandardCharsets.UTF_8);

    private CallbackDelivery delivery(int maxAttempts) {
        CallbacksProperties properties = new CallbacksProperties(SECRET, maxAttempts, Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(60), 10, Duration.ofSeconds(1));
        CallbackDelivery.Context context = new CallbackDelivery.Context(client, CallbackSigner.of(SECRET), properties,
                new Backoff(properties.firstBackoff(), properties.maxBackoff()), Clock.systemUTC(),
                meters.counter("attempts"), meters.counter("delivered"), meters.counter("failed"));
        return new CallbackDelivery(callback, callback.begin(), body, context);
    }

    private static Mono<CallResult> answered(int status, String retryAfter) {
        return Mono.just(status < 300 ? CallResult.success(0, URL, status, null, 5)
                : CallResult.failure(0, URL, new CallError(CallErrorType.HTTP_STATUS, "upstream answered " + status,
                        status, retryAfter), 5));
    }

    @Test
    void waitsWhatRetryAfterAsksThenBacksOffWithJitterUntilA2xx() {
        when(client.post(any(), any(), any(), any())).thenReturn(answered(503, "7"), answered(500, null),
                answered(204, null));
        CallbackDelivery delivery = delivery(8);

        StepVerifier.withVirtualTime(delivery::run)
            .expectSubscription()
            .then(() -> assertThat(callback.view().attempts()).isEqualTo(1))
            // Retry-After 7 s outweighs the first backoff (0.5 to 1 s).
            .expectNoEvent(Duration.ofMillis(6_999))
            .then(() -> assertThat(callback.view().attempts()).isEqualTo(1))
            .thenAwait(Duration.ofMillis(1))
            .then(() -> assertThat(callback.view()).extracting(CallbackView::attempts, CallbackView::lastStatus)
                .containsExactly(2, 500))
            // The second wait: 2 s with equal jitter, so at least 1 s and under 2 s.
            .expectNoEvent(Duration.ofMillis(999))
            .then(() -> assertThat(callback.view().attempts()).isEqualTo(2))
            .thenAwait(Duration.ofMillis(1_001))
            .verifyComplete();

        CallbackView view = callback.view();
        assertThat(view.state()).isEqualTo(CallbackState.DELIVERED);
        assertThat(view.attempts()).isEqualTo(3);
        assertThat(view.lastStatus()).isEqualTo(204);
        assertThat(view.deliveredAt()).isNotNull();
        assertThat(meters.counter("attempts").count()).isEqualTo(3);
        assertThat(meters.counter("delivered").count()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTryOfOneDeliveryCarriesTheSameIdAndItsOwnValidSignature() {
        when(client.post(any(), any(), any(), any())).thenReturn(answered(502, "0"), answered(200, null));

        StepVerifier.withVirtualTime(delivery(8)::run).thenAwait(Duration.ofSeconds(2)).verifyComplete();

        ArgumentCaptor<Map<String, String>> headers = ArgumentCaptor.forClass(Map.class);
        verify(client, times(2)).post(any(), any(), headers.capture(), any());
        CallbackSigner signer = CallbackSigner.of(SECRET);
        assertThat(headers.getAllValues()).allSatisfy(sent -> {
            assertThat(sent.get("webhook-id")).isEqualTo("msg_42_1");
            assertThat(sent.get("webhook-signature")).isEqualTo(
                    signer.sign("msg_42_1", Long.parseLong(sent.get("webhook-timestamp")), body));
        });
    }

    @Test
    void givesUpAfterMaxAttempts() {
        when(client.post(any(), any(), any(), any())).thenReturn(answered(503, null));

        StepVerifier.withVirtualTime(delivery(3)::run).thenAwait(Duration.ofMinutes(1)).verifyComplete();

        verify(client, times(3)).post(any(), any(), any(), any());
        assertThat(callback.view().state()).isEqualTo(CallbackState.FAILED);
        assertThat(callback.view().attempts()).isEqualTo(3);
        assertThat(meters.counter("failed").count()).isEqualTo(1);
        assertThat(meters.counter("delivered").count()).isZero();
    }

    @Test
    void aTryWithoutAnAnswerCountsWithoutAStatus() {
        when(client.post(any(), any(), any(), any())).thenReturn(
                Mono.just(CallResult.failure(0, URL, CallError.of(CallErrorType.TIMEOUT, "no answer in 10 s"), 10_000)));

        StepVerifier.withVirtualTime(delivery(1)::run).verifyComplete();

        assertThat(callback.view()).extracting(CallbackView::state, CallbackView::attempts, CallbackView::lastStatus)
            .containsExactly(CallbackState.FAILED, 1, null);
    }
}
