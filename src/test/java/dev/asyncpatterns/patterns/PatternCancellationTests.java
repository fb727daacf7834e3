package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** A caller going away cancels the run, and the run's tasks really stop: nothing more happens. */
class PatternCancellationTests {

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(new TaskGroupPattern(), new TaskGroupPattern.Params(5, null, 100)),
                Arguments.of(new SemaphorePattern(), new SemaphorePattern.Params(2, 10, 100)),
                Arguments.of(new LockPattern(), new LockPattern.Params(5, 100)),
                Arguments.of(new EventPattern(), new EventPattern.Params(5, 200)),
                Arguments.of(new ConditionPattern(), new ConditionPattern.Params(2, 3, 100)),
                Arguments.of(new QueuePattern(), new QueuePattern.Params(100, 2, 2, 3, 20)),
                Arguments.of(new TimeoutPattern(), new TimeoutPattern.Params(1000, 500)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    <P> void cancellingARunStopsAllOfItsTasks(Pattern<P> pattern, P params) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        Timeline timeline = new Timeline(Schedulers.single(time), time, PatternRuns.MAX_EVENTS);
        StepVerifier.withVirtualTime(() -> pattern.run(params, timeline), () -> time, Long.MAX_VALUE)
            .thenAwait(Duration.ofMillis(30))
            .thenCancel()
            .verify(Duration.ofSeconds(5));
        List<TimelineEvent> atCancel = timeline.events();
        assertThat(atCancel).as("the run had started").isNotEmpty();
        time.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(timeline.events()).as("nothing happens after the cancel").isEqualTo(atCancel);
    }
}
