package dev.asyncpatterns.jobs;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where jobs live, as the jobs endpoints see them: the seam between {@link JobsController} and
 * either this process's {@link JobRegistry} ({@code asyncpatterns.store=memory}, the default) or a
 * store shared by several instances ({@code postgres}). Every implementation runs jobs through a
 * {@link JobRegistry}, so there is one state machine and one transition table. Failures are the
 * registry's own exceptions (404, 409, 429, 503 problems), raised or signalled.
 */
public interface JobStore {

    /** {@link JobRegistry#submit(JobRequest, JobCaller)}. */
    Mono<JobView> submit(JobRequest request, JobCaller caller);

    /** {@link JobRegistry#submit(JobRequest, JobCaller, String)}: a job a schedule starts, carrying its id. */
    Mono<JobView> submit(JobRequest request, JobCaller caller, String scheduleId);

    /** {@link JobRegistry#await(String, long, JobCaller)}. */
    Mono<JobView> await(String id, long waitMs, JobCaller caller);

    /** {@link JobRegistry#list(JobState, String, Integer, JobCaller)}. */
    Mono<List<JobView>> list(JobState state, String type, Integer limit, JobCaller caller);

    /** {@link JobRegistry#cancel(String, JobCaller)}. */
    Mono<JobView> cancel(String id, JobCaller caller);

    /** {@link JobRegistry#retry(String, JobCaller)}: a dead-letter requeue. */
    Mono<JobView> retry(String id, JobCaller caller);

    /** {@link JobRegistry#delete(String, JobCaller)}. */
    Mono<Void> delete(String id, JobCaller caller);

    /**
     * {@link JobRegistry#redeliverCallback(String, JobCaller)}. A store that takes no callbacks
     * answers as for a job without one: 404, after the job's own 404 for an unknown id.
     */
    default Mono<JobView> redeliverCallback(String id, JobCaller caller) {
        return await(id, 0, caller).flatMap(job -> Mono.error(new CallbackNotFoundException(id)));
    }

    /** {@link JobRegistry#events(String, JobCaller)}. */
    Flux<JobEvent> events(String id, JobCaller caller);
}
