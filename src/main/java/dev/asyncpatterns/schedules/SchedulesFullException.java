package dev.asyncpatterns.schedules;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.Problems;

/** {@code asyncpatterns.schedules.max-total} schedules exist already, whoever owns them: 429. */
class SchedulesFullException extends ErrorResponseException {

    SchedulesFullException(int maxTotal) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(maxTotal), null);
        // Schedules do not end by themselves: a retry helps only once someone deletes one.
        getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
    }

    private static ProblemDetail problem(int maxTotal) {
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.SCHEDULES_FULL,
                "Too many schedules", "The service already holds its maximum of " + maxTotal
                        + " schedules (asyncpatterns.schedules.max-total); delete one first.");
        problem.setProperty("maxTotal", maxTotal);
        return problem;
    }
}
