package dev.asyncpatterns.jobs;

/**
 * What a shared job store does with a running job whose instance stopped renewing its lease
 * (killed, powered off, cut off from the database).
 */
public enum InstanceLossPolicy {
    /** The job ends {@code FAILED} with {@code error.type} {@code INSTANCE_LOST}. */
    FAIL,
    /** The job goes back to {@code PENDING} and runs again on any instance, {@code attempt} + 1 (at least once). */
    RERUN
}
