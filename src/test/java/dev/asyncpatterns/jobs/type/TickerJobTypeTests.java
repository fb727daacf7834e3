package dev.asyncpatterns.jobs.type;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

import dev.asyncpatterns.testsupport.RecordingJobContext;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class TickerJobTypeTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final TickerJobType ticker = new TickerJobType();
    private final RecordingJobContext context = new RecordingJobContext();

    @Test
    void tickerTicksOncePerIntervalWithNoKnownTotalAndNeverEndsByItself() {
        StepVerifier.withVirtualTime(() -> ticker.run(new TickerJobType.Params(1_000L), context))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(999))
            .then(() -> assertThat(context.count()).isZero())
            .expectNoEvent(Duration.ofMillis(1))
            .then(() -> assertThat(context.count()).isEqualTo(1))
            .expectNoEvent(Duration.ofMinutes(10))
            .then(() -> assertThat(context.last().completed()).isEqualTo(601))
            .thenCancel()
            .verify(VERIFY);
        assertThat(context.reports()).allSatisfy(report -> assertThat(report.total()).isZero());
    }

    @Test
    void cancelStopsTheTickerWithinOneInterval() {
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> ticker.run(new TickerJobType.Params(100L), context))
            .consumeSubscriptionWith(subscription::set)
            .expectNoEvent(Duration.ofMillis(350))
            .then(() -> assertThat(context.count()).isEqualTo(3))
            .then(() -> subscription.get().cancel())
            .thenAwait(Duration.ofHours(1))
            .then(() -> assertThat(context.count()).isEqualTo(3))
            .thenCancel()
            .verify(VERIFY);
    }
}
