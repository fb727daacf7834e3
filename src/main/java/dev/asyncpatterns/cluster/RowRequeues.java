package dev.asyncpatterns.cluster;

import dev.asyncpatterns.jobs.IllegalJobTransitionException;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/jobs/{id}/retry} with {@code store=postgres}: the dead row becomes SCHEDULED,
 * due now ({@link RetryRows#requeue}), and is promoted and claimed like any delayed job, on
 * whichever instance. 409 when the row is not FAILED, TIMED_OUT or CANCELLED (any more).
 */
final class RowRequeues {

    private final RetryRows retries;
    private final JobRows rows;
    private final Runnable requeued;

    /** @param requeued hears each requeue: it counts, and this instance's promotion wakes for it */
    RowRequeues(RetryRows retries, JobRows rows, Runnable requeued) {
        this.retries = retries;
        this.rows = rows;
        this.requeued = requeued;
    }

    /** Requeues the row's job (the caller may see it); the job as it is then. */
    Mono<JobView> requeue(JobRow row) {
        return retries.requeue(row.view().id())
            .switchIfEmpty(Mono.error(() -> new IllegalJobTransitionException(row.view().id(), row.state(),
                    JobState.SCHEDULED)))
            .doOnNext(id -> requeued.run())
            .flatMap(rows::find)
            .map(JobRow::view)
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }
}
