package dev.asyncpatterns.schedules;

import java.util.List;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * Where schedules live and what times them: the seam between {@link SchedulesController} and either
 * this process ({@link MemoryScheduleStore}) or a store several instances share. Every store fires
 * through {@link ScheduleFiring}. A schedule is its owner's: to any other caller (unless it sees
 * all) it answers 404, as for an unknown id. Views come with each run's job state read live.
 */
interface ScheduleStore {

    /** Keeps a validated schedule and arms it (unless {@code paused}); 429 past a bound. */
    Mono<ScheduleView> create(Schedule schedule, boolean paused);

    /** The caller's schedules, oldest first. */
    Mono<List<ScheduleView>> list(JobCaller caller);

    Mono<ScheduleView> get(String id, JobCaller caller);

    /** No runs until resumed; pausing a paused schedule changes nothing. */
    Mono<ScheduleView> pause(String id, JobCaller caller);

    /** Runs again from the next due time after now: what was missed while paused is not replayed. */
    Mono<ScheduleView> resume(String id, JobCaller caller);

    /** One run now, whatever the timing: the job it started. */
    Mono<JobView> trigger(String id, JobCaller caller);

    /** Forgets the schedule; jobs it started go on. */
    Mono<Void> delete(String id, JobCaller caller);
}
