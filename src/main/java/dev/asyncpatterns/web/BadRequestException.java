package dev.asyncpatterns.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Input that passed bean validation but fails a rule only the service can check (an unknown
 * job type, a URL outside the allowlist): a 400 naming the field, like a validation error.
 */
public class BadRequestException extends ErrorResponseException {

    public BadRequestException(String field, String message) {
        super(HttpStatus.BAD_REQUEST, problem(field, message), null);
    }

    private static ProblemDetail problem(String field, String message) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Invalid request",
                field + ": " + message);
        problem.setProperty("errors", List.of(new FieldError(field, message)));
        return problem;
    }
}
