package dev.asyncpatterns.fanout;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A fan-out operation that ended without its answer: rendered as a problem whose properties say
 * which calls failed or were cancelled. Its message is the problem's detail, so a job that fails
 * with it reports something readable.
 */
abstract class FanoutException extends ErrorResponseException {

    FanoutException(HttpStatus status, URI type, String title, String detail) {
        super(status, problem(status, type, title, detail), null);
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
