package dev.asyncpatterns.patterns;

import java.util.List;

import dev.asyncpatterns.web.BadRequestException;

import reactor.core.publisher.Mono;

/**
 * One runnable asyncio pattern: its parameters record, how it runs (recording every step on the
 * {@link Timeline}), and how its summary is derived from the recorded events alone.
 *
 * @param <P> the parameters record, bound from the request body and bean-validated
 */
interface Pattern<P> {

    /** The path segment, e.g. {@code semaphore}. */
    String name();

    Class<P> parameters();

    /**
     * Rules bean validation cannot express (one field against another, the run's expected
     * duration against {@code maxRunMs}); throws {@link BadRequestException} naming the field.
     */
    void check(P params, long maxRunMs);

    /** Runs the pattern, recording every step; all timers use {@link Timeline#loop()}. */
    Mono<Void> run(P params, Timeline timeline);

    /** The summary, computed only from the timeline so clients can recompute it. */
    Object summarize(P params, List<TimelineEvent> events);

    /** Fails with a 400 naming {@code field} when the run would take longer than allowed. */
    static void requireWithinBudget(String field, long expectedMs, long maxRunMs) {
        if (expectedMs > maxRunMs) {
            throw new BadRequestException(field,
                    "the run would take about " + expectedMs + " ms; at most " + maxRunMs + " ms is allowed");
        }
    }
}
