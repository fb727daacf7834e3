package dev.asyncpatterns.jobs;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * {@code max-active} jobs are already running, or {@code max-scheduled} already wait for their
 * start time: 429 with {@code Retry-After}.
 */
public class RegistryFullException extends ErrorResponseException {

    public RegistryFullException(int maxActive, long retryAfterSeconds) {
        this(problem("The job registry already holds its maximum of " + maxActive + " active jobs.", "maxActive",
                maxActive), retryAfterSeconds);
    }

    private RegistryFullException(ProblemDetail problem, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /** {@code max-scheduled} delayed jobs already wait: their bound is separate from the running ones'. */
    public static RegistryFullException scheduled(int maxScheduled, long retryAfterSeconds) {
        return new RegistryFullException(problem("The job registry already holds its maximum of " + maxScheduled
                + " scheduled jobs.", "maxScheduled", maxScheduled), retryAfterSeconds);
    }

    private static ProblemDetail problem(String detail, String bound, int max) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
        problem.setType(ProblemTypes.REGISTRY_FULL);
        problem.setTitle("Job registry full");
        problem.setProperty(bound, max);
        return problem;
    }
}
