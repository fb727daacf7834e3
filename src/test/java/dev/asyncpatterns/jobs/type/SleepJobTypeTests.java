package dev.asyncpatterns.jobs.type;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

import dev.asyncpatterns.runtime.LoopTimers;
import dev.asyncpatterns.testsupport.RecordingJobContext;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class SleepJobTypeTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final SleepJobType sleep = new SleepJobType(new LoopTimers(List::of));
    private final RecordingJobContext context = new RecordingJobContext();

    @Test
    void sleepTicksProgressAfterEachStepAndAnswersTheSleptTime() {
        StepVerifier.withVirtualTime(() -> sleep.run(new SleepJobType.Params(1_000L, 4), context))
            .expectSubscription()
            .then(() -> assertThat(context.last().completed()).isZero())
            .expectNoEvent(Duration.ofMillis(249))
            .then(() -> assertThat(context.last().completed()).isZero())
            .expectNoEvent(Duration.ofMillis(1))
            .then(() -> assertThat(context.last().completed()).isEqualTo(1))
            .expectNoEvent(Duration.ofMillis(500))
            .then(() -> assertThat(context.last().completed()).isEqualTo(3))
            .thenAwait(Duration.ofMillis(250))
            .expectNext(new SleepJobType.Result(1_000))
            .expectComplete()
            .verify(VERIFY);
        assertThat(context.reports()).extracting(RecordingJobContext.Report::completed).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(context.reports()).allSatisfy(report -> assertThat(report.total()).isEqualTo(4));
    }

    @Test
    void stepsThatDoNotDivideTheDurationStillAddUpToIt() {
        StepVerifier.withVirtualTime(() -> sleep.run(new SleepJobType.Params(1_000L, 3), context))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(999))
            .thenAwait(Duration.ofMillis(1))
            .expectNext(new SleepJobType.Result(1_000))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void withoutStepsTheSleepIsOneStep() {
        assertThat(new SleepJobType.Params(10L, null).steps()).isEqualTo(1);
    }

    @Test
    void cancellingDisposesTheTimerSoNoFurtherProgressEverComes() {
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> sleep.run(new SleepJobType.Params(10_000L, 10), context))
            .consumeSubscriptionWith(subscription::set)
            .expectNoEvent(Duration.ofMillis(2_500))
            .then(() -> assertThat(context.last().completed()).isEqualTo(2))
            .then(() -> subscription.get().cancel())
            .thenAwait(Duration.ofHours(1))
            .then(() -> assertThat(context.last().completed()).isEqualTo(2))
            .thenCancel()
            .verify(VERIFY);
    }
}
