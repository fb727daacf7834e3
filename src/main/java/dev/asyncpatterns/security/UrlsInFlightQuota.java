package dev.asyncpatterns.security;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.fanout.FanoutAdmission;
import dev.asyncpatterns.fanout.FanoutCaller;
import dev.asyncpatterns.jobs.JobAdmission;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobCost;

/**
 * {@code asyncpatterns.security.quota.max-urls-in-flight}: the most outbound calls one caller may
 * have in flight at once, summed over all its running fan-outs ({@code gather}, {@code wait},
 * {@code first}, {@code stream}) and {@code fetch} jobs. Each reserves {@code min(urls, concurrency)},
 * the most it can ever have in flight, when it starts (see {@link FanoutAdmission} for why up
 * front); one that would pass the quota answers 429 naming it and makes no call. The calls are
 * given back when the request completes, fails, times out or is cancelled (a client closing a
 * stream), and when a fetch job ends in any state.
 */
@Component
class UrlsInFlightQuota implements FanoutAdmission, JobAdmission {

    static final String NAME = "max-urls-in-flight";

    private final CallerQuota quota;

    UrlsInFlightQuota(AccessControlProperties properties, MeterRegistry meters) {
        Integer max = properties.quota().maxUrlsInFlight();
        this.quota = new CallerQuota(NAME, max == null ? null : max.longValue(), "outbound calls in flight",
                "wait for a fan-out or fetch job to finish, or cancel one", meters);
    }

    @Override
    public Runnable admit(FanoutCaller caller, int calls) {
        return quota.acquire(caller.name(), caller.address(), calls);
    }

    /** A fetch job holds its calls from submission to its end, as a fan-out request does while it runs. */
    @Override
    public Runnable admit(JobCaller caller, JobCost cost) {
        return quota.acquire(caller.name(), caller.address(), cost.callsInFlight());
    }
}
