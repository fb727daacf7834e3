package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Runs one pattern on a fresh single-threaded loop and turns its timeline into the answer. */
final class PatternRuns {

    /** Far above what the bounded parameters can produce; a run past it is a bug. */
    static final int MAX_EVENTS = 20_000;

    private PatternRuns() {
    }

    /**
     * The run's loop is one worker of the parallel scheduler (virtual under
     * {@code StepVerifier.withVirtualTime}), disposed when the run ends however it ends.
     */
    static <P> Mono<PatternResult> execute(Pattern<P> pattern, P params, Duration maxRun) {
        return Mono.using(() -> Schedulers.single(Schedulers.parallel()), loop -> {
            Timeline timeline = new Timeline(loop, Schedulers.parallel(), MAX_EVENTS);
            return Mono.defer(() -> pattern.run(params, timeline))
                .subscribeOn(loop)
                .timeout(maxRun, loop)
                .then(Mono.fromCallable(() -> result(pattern, params, timeline)));
        }, Scheduler::dispose);
    }

    private static <P> PatternResult result(Pattern<P> pattern, P params, Timeline timeline) {
        List<TimelineEvent> events = timeline.events();
        return new PatternResult(pattern.name(), timeline.elapsedMs(), pattern.summarize(params, events), events);
    }
}
