package dev.asyncpatterns.jobs;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The attempts of a job that retries (API.md section 11): its policy, how many attempts started,
 * and how each ended, the newest {@link RetryPolicy#MAX_ATTEMPTS} kept. Only jobs submitted with a
 * {@code retry} policy, or requeued by {@code POST /api/jobs/{id}/retry}, carry one: a plain job
 * stays as small as it was. Also what a later attempt needs to be admitted: its type and caller.
 */
final class Attempts {

    private final RetryPolicy policy;
    private final JobType<Object> type;
    private final JobCaller caller;
    private final ArrayDeque<JobAttempt> ended = new ArrayDeque<>();
    private int started;
    /** A dead-letter requeue ran the job again: no new backoff budget, whatever the policy says. */
    private boolean requeued;

    /** @param policy the normalized policy; null for a job without one, requeued */
    Attempts(RetryPolicy policy, JobType<Object> type, JobCaller caller) {
        this.policy = policy;
        this.type = type;
        this.caller = caller;
    }

    JobType<Object> type() {
        return type;
    }

    JobCaller caller() {
        return caller;
    }

    synchronized void started() {
        started++;
    }

    synchronized int count() {
        return started;
    }

    /** The attempt that started last ended in {@code state}. */
    synchronized void ended(JobState state, JobError error, long startedAt, long finishedAt) {
        if (ended.size() == RetryPolicy.MAX_ATTEMPTS) {
            ended.removeFirst();
        }
        ended.add(new JobAttempt(started, state, error, Instant.ofEpochMilli(startedAt), Instant.ofEpochMilli(finishedAt)));
    }

    /** Whether the attempt that just ended in {@code outcome} runs again under the policy. */
    synchronized boolean retries(JobState outcome) {
        return policy != null && !requeued && policy.retries(outcome, started);
    }

    /** The wait before the next attempt, {@code random} in [0, 1). */
    synchronized long delayMs(double random) {
        return policy.delayMs(started, random);
    }

    synchronized void requeued() {
        requeued = true;
    }

    /** {@code plain} with {@code attempt}, {@code maxAttempts} and {@code attempts[]}. */
    synchronized JobView view(JobView plain) {
        return plain.withAttempts(started, policy != null ? policy.maxAttempts() : 1, List.copyOf(ended));
    }
}
