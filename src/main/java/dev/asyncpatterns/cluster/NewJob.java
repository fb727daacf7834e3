package dev.asyncpatterns.cluster;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.RetryPolicy;

/**
 * A submitted job to store: running on {@code owner} under a lease, or waiting when {@code owner} is null;
 * with its retry policy and the URL of its callback (its delivery row is stored with it), each null when none.
 */
record NewJob(JobView view, InstanceLossPolicy onLoss, String owner, Long leaseTtlMs, RetryPolicy retry,
        String callbackUrl) {

    /** A job without retries or a callback. */
    NewJob(JobView view, InstanceLossPolicy onLoss, String owner, Long leaseTtlMs) {
        this(view, onLoss, owner, leaseTtlMs, null, null);
    }
}
