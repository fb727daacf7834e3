package dev.asyncpatterns.patterns;

import java.util.List;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the semaphore and lock patterns share: {@code tasks} tasks start at once, each records
 * {@code waiting}, then inside the guard records {@code acquired}, works {@code taskMs} and records
 * {@code released} just before the guard lets the next one in.
 */
final class CriticalSections {

    static final String WAITING = "waiting";
    static final String ACQUIRED = "acquired";
    static final String RELEASED = "released";

    private CriticalSections() {
    }

    static Mono<Void> run(int tasks, long taskMs, Timeline timeline, UnaryOperator<Mono<Void>> guard) {
        // Concurrency = tasks, so only the guard (not flatMap) limits how many run at once.
        return Flux.range(0, tasks)
            .flatMap(i -> {
                String task = TimelineStats.taskName("task", i);
                timeline.record(task, WAITING);
                return guard.apply(Mono.fromRunnable(() -> timeline.record(task, ACQUIRED))
                    .then(timeline.sleep(taskMs))
                    .doOnSuccess(tick -> timeline.record(task, RELEASED))
                    .then());
            }, tasks)
            .then();
    }

    /** Whether tasks got in in the order they started waiting (FIFO fairness). */
    static boolean fifo(List<TimelineEvent> events) {
        return TimelineStats.tasksWith(events, WAITING).equals(TimelineStats.tasksWith(events, ACQUIRED));
    }
}
