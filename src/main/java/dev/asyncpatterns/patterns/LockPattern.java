package dev.asyncpatterns.patterns;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.AsyncLock;

import reactor.core.publisher.Mono;

/** {@code asyncio.Lock}: {@code tasks} tasks take turns in one critical section. */
@Component
class LockPattern implements Pattern<LockPattern.Params> {

    /**
     * @param tasks how many tasks start together (default 5)
     * @param taskMs how long each stays in the critical section (default 50)
     */
    record Params(@Min(1) @Max(100) Integer tasks, @Min(0) @Max(10_000) Integer taskMs) {

        Params {
            tasks = tasks != null ? tasks : 5;
            taskMs = taskMs != null ? taskMs : 50;
        }
    }

    /**
     * @param tasks tasks run
     * @param completed tasks that left the critical section
     * @param overlaps entries while another task was inside; always 0
     * @param maxConcurrent most tasks inside at once; always 1
     * @param fifo whether tasks got the lock in the order they asked for it
     */
    record Summary(int tasks, int completed, int overlaps, int maxConcurrent, boolean fifo) {
    }

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        Pattern.requireWithinBudget("taskMs", (long) params.tasks() * params.taskMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        AsyncLock lock = new AsyncLock();
        return CriticalSections.run(params.tasks(), params.taskMs(), timeline, lock::withLock);
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        TimelineStats.Occupancy occupancy = TimelineStats.occupancy(events, CriticalSections.ACQUIRED,
                CriticalSections.RELEASED);
        return new Summary(params.tasks(), TimelineStats.tasksWith(events, CriticalSections.RELEASED).size(),
                occupancy.overlaps(), occupancy.max(), CriticalSections.fifo(events));
    }
}
