package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/** The registry is draining for shutdown and takes no new jobs: 503. */
public class ShuttingDownException extends ErrorResponseException {

    public ShuttingDownException() {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The service is shutting down and accepts no new jobs.");
        problem.setType(ProblemTypes.SHUTTING_DOWN);
        problem.setTitle("Shutting down");
        return problem;
    }
}
