package dev.asyncpatterns.jobs;

/**
 * What one job will hold while it runs, in the units the per-caller quotas count. It is the only
 * view of a job a {@link JobAdmission} gets: each {@link JobType} computes it from its own bound
 * params, so a quota depends on this record and not on any job type's params.
 *
 * @param cpuWork units of work on the bounded CPU pool (the {@code cpu} job's loop iterations, its
 *                {@code n}); 0 for a job that does no CPU work of its own
 * @param callsInFlight the most outbound calls the job can have in flight at once; 0 for none
 */
public record JobCost(long cpuWork, int callsInFlight) {

    /** A job that holds nothing a quota counts beyond the job itself: a timer, a queue pipeline. */
    public static final JobCost NONE = new JobCost(0, 0);
}
