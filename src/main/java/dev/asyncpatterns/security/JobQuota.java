package dev.asyncpatterns.security;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobAdmission;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobCost;

/**
 * {@code asyncpatterns.security.quota.max-active-jobs}: how many non-terminal jobs one caller may
 * have at once; past it {@code POST /api/jobs} answers 429 naming the quota. Anonymous callers
 * are counted per client IP.
 */
@Component
class JobQuota implements JobAdmission {

    static final String NAME = "max-active-jobs";

    private final CallerQuota quota;

    JobQuota(AccessControlProperties properties, MeterRegistry meters) {
        Integer max = properties.quota().maxActiveJobs();
        this.quota = new CallerQuota(NAME, max == null ? null : max.longValue(), "active jobs",
                "cancel or await one first", meters);
    }

    @Override
    public Runnable admit(JobCaller caller, JobCost cost) {
        return quota.acquire(caller.name(), caller.address(), 1);
    }
}
