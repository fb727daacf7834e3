package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/** No job with this id: never created, deleted, or already forgotten by retention. 404. */
public class JobNotFoundException extends ErrorResponseException {

    public JobNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No job with id " + id + ".");
        problem.setType(ProblemTypes.JOB_NOT_FOUND);
        problem.setTitle("Job not found");
        return problem;
    }
}
