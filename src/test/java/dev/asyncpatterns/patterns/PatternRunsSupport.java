package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import reactor.test.StepVerifier;

/** Runs a pattern under virtual time, so timelines are exact and tests take no real time. */
final class PatternRunsSupport {

    private PatternRunsSupport() {
    }

    static <P> PatternResult runVirtually(Pattern<P> pattern, P params) {
        AtomicReference<PatternResult> result = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> PatternRuns.execute(pattern, params, Duration.ofMinutes(10)))
            .thenAwait(Duration.ofMinutes(10))
            .consumeNextWith(result::set)
            .expectComplete()
            .verify(Duration.ofSeconds(10));
        return result.get();
    }

    static long atMs(PatternResult result, String task, String event) {
        return result.timeline().stream().filter(e -> e.task().equals(task) && e.event().equals(event))
            .mapToLong(TimelineEvent::atMs).findFirst().orElseThrow();
    }
}
