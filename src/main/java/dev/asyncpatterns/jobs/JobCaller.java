package dev.asyncpatterns.jobs;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who asks, for job ownership: a job is visible to the caller that created it ({@code name}, null
 * for an anonymous caller) and, with {@code seesAll}, to a caller allowed to see every job
 * (the access-control layer decides who may ask for that). Another caller's job is answered
 * as if it did not exist (404).
 *
 * @param name the caller's name (API key name or JWT subject), null when anonymous
 * @param seesAll whether this call may see and act on every caller's jobs
 * @param address the client's address, by which per-caller quotas tell anonymous callers apart;
 *                null for in-process callers
 */
public record JobCaller(String name, boolean seesAll, InetSocketAddress address) {

    /** Every job: for in-process callers (tests, shutdown) that act for no one in particular. */
    public static final JobCaller SYSTEM = new JobCaller(null, true);

    /** A caller with no known address: enough for ownership, which goes by name only. */
    public JobCaller(String name, boolean seesAll) {
        this(name, seesAll, null);
    }

    boolean owns(Job job) {
        return seesAll || Objects.equals(name, job.createdBy());
    }
}
