package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * Only a finished job can be forgotten (deleting a live one would orphan its work), and only a
 * finished job has a final state to send to its callback again: 409.
 */
public class JobNotTerminalException extends ErrorResponseException {

    public JobNotTerminalException(JobId id, JobState state) {
        this(id, state, "; cancel it and wait for a terminal state before deleting it.");
    }

    /** A redeliver of the callback of a job that has not ended: 409, whichever store keeps the job. */
    public static JobNotTerminalException callbackNotDue(JobId id, JobState state) {
        return new JobNotTerminalException(id, state, "; its callback is sent once it ends.");
    }

    /**
     * @param advice what the caller may do, appended to "Job {id} is {state}"
     */
    private JobNotTerminalException(JobId id, JobState state, String advice) {
        super(HttpStatus.CONFLICT, problem(id, state, advice), null);
    }

    private static ProblemDetail problem(JobId id, JobState state, String advice) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Job " + id + " is " + state + advice);
        problem.setType(ProblemTypes.JOB_NOT_TERMINAL);
        problem.setTitle("Job still active");
        problem.setProperty("state", state);
        return problem;
    }
}
