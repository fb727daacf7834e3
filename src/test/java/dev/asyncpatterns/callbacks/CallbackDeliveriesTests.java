package dev.asyncpatterns.callbacks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The bound on pending deliveries and the shutdown grace, with receivers that never answer. */
class CallbackDeliveriesTests {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final OutboundClient client = mock(OutboundClient.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final CallbackDeliveries deliveries = new CallbackDeliveries(
            new CallbacksProperties("whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY", 8, Duration.ofSeconds(10),
                    Duration.ofSeconds(1), Duration.ofSeconds(60), 2, GRACE),
            new UrlAllowlist(new OutboundProperties(List.of("127.0.0.1"), 1024, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0)),
            client, meters);

    CallbackDeliveriesTests() {
        when(client.post(any(), any(), any(), any()))
            .thenReturn(Mono.<CallResult>never().doOnCancel(abandoned::incrementAndGet));
    }

    @AfterEach
    void resetTime() {
        VirtualTimeScheduler.reset();
    }

    private Callback deliver(String jobId) {
        Callback callback = deliveries.accept(jobId, new CallbackRequest("http://127.0.0.1:9/hooks"));
        deliveries.deliver(callback, new byte[0]);
        return callback;
    }

    @Test
    void aUrlOutsideTheAllowlistIsABadRequestNamingCallbackUrl() {
        assertThatThrownBy(() -> deliveries.accept("1", new CallbackRequest("http://example.com/hooks")))
            .isInstanceOf(BadRequestException.class)
            .hasMessageContaining("callback.url");
    }

    @Test
    void pastMaxPendingADeliveryIsDroppedCountedAndFailed() {
        deliveries.start();
        Callback first = deliver("1");
        deliver("2");

        Callback third = deliver("3");

        assertThat(deliveries.pendingCount()).isEqualTo(2);
        assertThat(first.view().state()).isEqualTo(CallbackState.PENDING);
        assertThat(third.view().state()).isEqualTo(CallbackState.FAILED);
        assertThat(meters.counter("asyncpatterns.callbacks.dropped").count()).isEqualTo(1);
        assertThat(meters.counter("asyncpatterns.callbacks.failed").count()).isEqualTo(1);
    }

    @Test
    void aSecondDeliveryOfTheSameCallbackWaitsForTheFirst() {
        deliveries.start();
        Callback callback = deliver("1");

        deliveries.deliver(callback, new byte[0]);

        assertThat(deliveries.pendingCount()).isEqualTo(1);
    }

    @Test
    void shutdownGivesPendingDeliveriesTheGracePeriodThenAbandonsThem() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        deliveries.start();
        deliver("1");
        AtomicBoolean stopped = new AtomicBoolean();

        deliveries.stop(() -> stopped.set(true));
        time.advanceTimeBy(GRACE.minusMillis(1));

        assertThat(stopped).isFalse();
        assertThat(abandoned).hasValue(0);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(stopped).isTrue();
        assertThat(abandoned).hasValue(1);
        assertThat(deliveries.isRunning()).isFalse();
    }

    @Test
    void shutdownWithNothingPendingEndsAtOnceAndLaterDeliveriesAreDropped() {
        deliveries.start();
        AtomicBoolean stopped = new AtomicBoolean();

        deliveries.stop(() -> stopped.set(true));

        assertThat(stopped).isTrue();
        assertThat(deliver("1").view().state()).isEqualTo(CallbackState.FAILED);
        assertThat(deliveries.pendingCount()).isZero();
    }
}
