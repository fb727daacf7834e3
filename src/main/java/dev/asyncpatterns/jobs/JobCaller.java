package dev.asyncpatterns.jobs;

import java.util.Objects;

/**
 * Who asks, for job ownership: a job is visible to the caller that created it ({@code name}, null
 * for an anonymous caller) and, with {@code seesAll}, to a caller allowed to see every job
 * (the access-control layer decides who may ask for that). Another caller's job is answered
 * as if it did not exist (404).
 *
 * @param name the caller's name (API key name or JWT subject), null when anonymous
 * @param seesAll whether this call may see and act on every caller's jobs
 */
public record JobCaller(String name, boolean seesAll) {

    /** Every job: for in-process callers (tests, shutdown) that act for no one in particular. */
    public static final JobCaller SYSTEM = new JobCaller(null, true);

    boolean owns(Job job) {
        return seesAll || Objects.equals(name, job.createdBy());
    }
}
