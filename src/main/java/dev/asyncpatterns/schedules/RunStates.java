package dev.asyncpatterns.schedules;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A schedule's runs with each job's state read live from the job store: a run records its job's
 * state when it started, and a reader wants to know how it went. Runs already terminal, and runs
 * whose job retention forgot, keep what was recorded.
 */
@Component
class RunStates {

    private final JobStore jobs;

    RunStates(JobStore jobs) {
        this.jobs = jobs;
    }

    Mono<List<ScheduleRun>> live(List<ScheduleRun> runs) {
        return Flux.fromIterable(runs).concatMap(this::live).collectList();
    }

    private Mono<ScheduleRun> live(ScheduleRun run) {
        if (run.jobId() == null || isTerminal(run.state())) {
            return Mono.just(run);
        }
        return Mono.defer(() -> jobs.await(run.jobId().toString(), 0, JobCaller.SYSTEM))
            .map(job -> run.withState(job.state().name()))
            .onErrorReturn(run);
    }

    private static boolean isTerminal(String state) {
        for (JobState known : JobState.values()) {
            if (known.name().equals(state)) {
                return known.isTerminal();
            }
        }
        return true;
    }
}
