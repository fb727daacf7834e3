package dev.asyncpatterns.security;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobAdmission;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobCost;

/**
 * {@code asyncpatterns.security.quota.max-cpu-work}: the most CPU work one caller may have queued
 * or running at once, in the {@code cpu} job's own unit: the sum of {@link JobCost#cpuWork()} (a cpu
 * job's {@code n}, its loop iterations) over the caller's non-terminal jobs. A cpu job that would pass it answers 429 naming the
 * quota; a job's work is given back when it ends, whatever the state (succeeded, failed, timed
 * out, cancelled). Counting {@code n} rather than jobs keeps one caller from occupying the CPU
 * pool with a few huge jobs while another's small ones wait.
 */
@Component
class CpuWorkQuota implements JobAdmission {

    static final String NAME = "max-cpu-work";

    private final CallerQuota quota;

    CpuWorkQuota(AccessControlProperties properties, MeterRegistry meters) {
        this.quota = new CallerQuota(NAME, properties.quota().maxCpuWork(), "units of CPU work (n of active cpu jobs)",
                "wait for a cpu job to end or cancel one", meters);
    }

    @Override
    public Runnable admit(JobCaller caller, JobCost cost) {
        return quota.acquire(caller.name(), caller.address(), cost.cpuWork());
    }
}
