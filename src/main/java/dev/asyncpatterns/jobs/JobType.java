package dev.asyncpatterns.jobs;

import reactor.core.publisher.Mono;

/**
 * One kind of background job ({@code type} in {@code POST /api/jobs}). Implementations are
 * Spring beans in {@code dev.asyncpatterns.jobs.type}; the registry finds them by {@link #name()}.
 *
 * <p>The work is the returned {@link Mono}: the registry subscribes to it once, and cancels the
 * subscription on cancel, timeout or shutdown. So an implementation must make cancellation stop
 * the work itself: dispose timers, abort HTTP calls, leave queue waits, interrupt threads, and
 * check for cancellation inside CPU loops.
 *
 * @param <P> the params record, bound from the request's {@code params} object and validated
 *            with Jakarta Bean Validation before the job is accepted
 */
public interface JobType<P> {

    /** The {@code type} name users pass, e.g. {@code sleep}. */
    String name();

    /** The record {@code params} binds to; its constraint annotations are the validation. */
    Class<P> paramsType();

    /**
     * The job's work. The value it emits becomes the job's {@code result} (serialized as JSON);
     * an error makes the job {@code FAILED}. Must not block the subscribing thread.
     */
    Mono<?> run(P params, JobContext context);

    /**
     * What a job with these params holds while it runs, as the per-caller quotas count it
     * ({@link JobAdmission}); nothing by default. Must be cheap: it runs on every submit.
     */
    default JobCost cost(P params) {
        return JobCost.NONE;
    }
}
