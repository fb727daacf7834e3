package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The record of one pattern run and the loop it runs on. Every timer of a run fires on the
 * same single-threaded {@link #loop()}, like asyncio's event loop, so steps never interleave
 * mid-way and the order of the list is the order things happened. Time comes from the parallel
 * scheduler's clock, which is virtual under {@code StepVerifier.withVirtualTime}.
 */
final class Timeline {

    private final Scheduler loop;
    private final Scheduler clock;
    private final long startMs;
    private final int maxEvents;
    private final List<TimelineEvent> events = new ArrayList<>();

    /**
     * @param loop the run's single-threaded loop
     * @param clock where time is read: the scheduler the loop's worker came from (a single-worker
     *     wrapper does not pass its parent's, possibly virtual, clock on)
     */
    Timeline(Scheduler loop, Scheduler clock, int maxEvents) {
        this.loop = loop;
        this.clock = clock;
        this.startMs = clock.now(TimeUnit.MILLISECONDS);
        this.maxEvents = maxEvents;
    }

    /** The run's single-threaded loop: every delay and timeout of the run uses it. */
    Scheduler loop() {
        return loop;
    }

    /** {@code asyncio.sleep(ms)} on the run's loop. */
    Mono<Long> sleep(long ms) {
        return Mono.delay(Duration.ofMillis(ms), loop);
    }

    void record(String task, String event) {
        record(task, event, null);
    }

    /** Appends an event; past the bound the run is a bug, so it fails loudly instead of growing. */
    synchronized void record(String task, String event, String detail) {
        if (events.size() >= maxEvents) {
            throw new IllegalStateException("timeline exceeds " + maxEvents + " events");
        }
        events.add(new TimelineEvent(task, event, elapsedMs(), detail));
    }

    synchronized List<TimelineEvent> events() {
        return List.copyOf(events);
    }

    long elapsedMs() {
        return clock.now(TimeUnit.MILLISECONDS) - startMs;
    }
}
