package dev.asyncpatterns.patterns;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.AsyncSemaphore;

import reactor.core.publisher.Mono;

/** {@code asyncio.Semaphore(permits)}: at most {@code permits} of {@code tasks} work at once. */
@Component
class SemaphorePattern implements Pattern<SemaphorePattern.Params> {

    /**
     * @param permits how many tasks may work at once (default 3)
     * @param tasks how many tasks start together (default 10)
     * @param taskMs how long each works while holding a permit (default 100)
     */
    record Params(@Min(1) @Max(100) Integer permits, @Min(1) @Max(200) Integer tasks,
            @Min(0) @Max(10_000) Integer taskMs) {

        Params {
            permits = permits != null ? permits : 3;
            tasks = tasks != null ? tasks : 10;
            taskMs = taskMs != null ? taskMs : 100;
        }
    }

    /**
     * @param permits the semaphore's size
     * @param tasks tasks run
     * @param completed tasks that released their permit
     * @param maxConcurrent most tasks between {@code acquired} and {@code released} at once; never above permits
     * @param fifo whether permits were granted in the order tasks started waiting
     */
    record Summary(int permits, int tasks, int completed, int maxConcurrent, boolean fifo) {
    }

    @Override
    public String name() {
        return "semaphore";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        long rounds = (params.tasks() + params.permits() - 1) / params.permits();
        Pattern.requireWithinBudget("taskMs", rounds * params.taskMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        AsyncSemaphore semaphore = new AsyncSemaphore(params.permits());
        return CriticalSections.run(params.tasks(), params.taskMs(), timeline, semaphore::withPermit);
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        TimelineStats.Occupancy occupancy = TimelineStats.occupancy(events, CriticalSections.ACQUIRED,
                CriticalSections.RELEASED);
        return new Summary(params.permits(), params.tasks(),
                TimelineStats.tasksWith(events, CriticalSections.RELEASED).size(), occupancy.max(),
                CriticalSections.fifo(events));
    }
}
