package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/** Only a finished job can be forgotten; deleting a live one would orphan its work: 409. */
public class JobNotTerminalException extends ErrorResponseException {

    public JobNotTerminalException(JobId id, JobState state) {
        super(HttpStatus.CONFLICT, problem(id, state), null);
    }

    private static ProblemDetail problem(JobId id, JobState state) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Job " + id + " is " + state + "; cancel it and wait for a terminal state before deleting it.");
        problem.setType(ProblemTypes.JOB_NOT_TERMINAL);
        problem.setTitle("Job still active");
        problem.setProperty("state", state);
        return problem;
    }
}
