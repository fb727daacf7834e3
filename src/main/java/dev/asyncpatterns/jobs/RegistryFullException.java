package dev.asyncpatterns.jobs;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/** {@code max-active} jobs are already running: 429 with {@code Retry-After}. */
public class RegistryFullException extends ErrorResponseException {

    public RegistryFullException(int maxActive, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(maxActive), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    private static ProblemDetail problem(int maxActive) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "The job registry already holds its maximum of " + maxActive + " active jobs.");
        problem.setType(ProblemTypes.REGISTRY_FULL);
        problem.setTitle("Job registry full");
        problem.setProperty("maxActive", maxActive);
        return problem;
    }
}
