package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/** A move the {@link JobState} table forbids, such as cancelling a finished job: 409. */
public class IllegalJobTransitionException extends ErrorResponseException {

    private final JobState from;
    private final JobState to;

    public IllegalJobTransitionException(JobId id, JobState from, JobState to) {
        super(HttpStatus.CONFLICT, problem(id, from, to), null);
        this.from = from;
        this.to = to;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }

    private static ProblemDetail problem(JobId id, JobState from, JobState to) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Job " + id + " is " + from + " and cannot become " + to + ".");
        problem.setType(ProblemTypes.ILLEGAL_TRANSITION);
        problem.setTitle("Illegal job state transition");
        problem.setProperty("state", from);
        return problem;
    }
}
