package dev.asyncpatterns.jobs;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.FieldError;
import dev.asyncpatterns.web.ProblemTypes;

/**
 * A job request broke its constraints, the body's own ({@link JobSubmitRoute}) or its type's on
 * {@code params} (listed as {@code params.<field>}): 400 listing every offending field.
 */
class InvalidJobRequestException extends ErrorResponseException {

    InvalidJobRequestException(List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, problem(errors), null);
    }

    private static ProblemDetail problem(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(ProblemTypes.VALIDATION);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }
}
