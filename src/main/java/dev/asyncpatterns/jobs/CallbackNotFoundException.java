package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * {@code POST /api/jobs/{id}/callback/redeliver} for a job submitted without a {@code callback}: the
 * job exists but its callback resource does not, so 404 (with its own type, unlike an unknown job).
 */
public class CallbackNotFoundException extends ErrorResponseException {

    public CallbackNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "Job " + id + " was submitted without a callback.");
        problem.setType(ProblemTypes.CALLBACK_NOT_FOUND);
        problem.setTitle("Callback not found");
        return problem;
    }
}
