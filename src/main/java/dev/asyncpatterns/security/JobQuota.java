package dev.asyncpatterns.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.jobs.JobAdmission;
import dev.asyncpatterns.web.Problems;

/**
 * {@code asyncpatterns.security.quota.max-active-jobs}: how many non-terminal jobs one caller may
 * have at once; past it {@code POST /api/jobs} answers 429 naming the quota. Anonymous callers
 * share one allowance (they have no name to tell them apart by).
 */
@Component
class JobQuota implements JobAdmission {

    private final Integer maxActiveJobs;

    JobQuota(AccessControlProperties properties) {
        this.maxActiveJobs = properties.quota().maxActiveJobs();
    }

    @Override
    public void admit(String caller, int activeJobs) {
        if (maxActiveJobs != null && activeJobs > maxActiveJobs) {
            throw new QuotaExceededException("max-active-jobs", maxActiveJobs,
                    (caller != null ? "Caller '" + caller + "'" : "Anonymous callers") + " already "
                            + (caller != null ? "has " : "have ") + maxActiveJobs + " active jobs, the most "
                            + "asyncpatterns.security.quota.max-active-jobs allows; cancel or await one first.");
        }
    }

    /** A per-caller quota is used up: 429 with the quota's name and limit. */
    static final class QuotaExceededException extends ErrorResponseException {

        QuotaExceededException(String quota, int limit, String detail) {
            super(HttpStatus.TOO_MANY_REQUESTS, problem(quota, limit, detail), null);
            getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        }

        private static ProblemDetail problem(String quota, int limit, String detail) {
            ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS,
                    ProblemResponses.QUOTA_EXCEEDED, "Quota exceeded: " + quota, detail);
            problem.setProperty("quota", quota);
            problem.setProperty("limit", limit);
            return problem;
        }
    }
}
