package dev.asyncpatterns.cluster;

import java.time.Instant;

import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.RetryPolicy;

/**
 * One row of {@code jobs} as the store needs it: the job as users see it, plus what only the
 * cluster uses.
 *
 * @param view the job JSON, with {@code instanceId} and {@code attempt}
 * @param onInstanceLoss what the reaper does when the owner is lost
 * @param cancelRequested a cancel is waiting for the owner
 * @param dueAt when a delayed job was due (kept once it started, for its lateness); null for a job that started at once
 * @param retry the retry policy still in force: null for a job without one, or requeued (no backoff budget left)
 */
record JobRow(JobView view, InstanceLossPolicy onInstanceLoss, boolean cancelRequested, Instant dueAt,
        RetryPolicy retry) {

    /** A row of a job without retries. */
    JobRow(JobView view, InstanceLossPolicy onInstanceLoss, boolean cancelRequested, Instant dueAt) {
        this(view, onInstanceLoss, cancelRequested, dueAt, null);
    }

    /** This row showing {@code shown} as its job JSON. */
    JobRow withView(JobView shown) {
        return new JobRow(shown, onInstanceLoss, cancelRequested, dueAt, retry);
    }

    /** Whether its attempts are kept in the row: users follow such a job there, across its attempts. */
    boolean keepsAttempts() {
        return view.attempts() != null;
    }

    JobState state() {
        return view.state();
    }

    String owner() {
        return view.instanceId();
    }

    int attempt() {
        return view.attempt() == null ? 0 : view.attempt();
    }

    Instant createdAt() {
        return view.createdAt();
    }
}
