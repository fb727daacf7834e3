package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * A repeat that arrived while the first submit with its {@code Idempotency-Key} is still being
 * admitted: 409. Its outcome is not known yet, so there is nothing to replay; the client retries.
 */
public class IdempotencyKeyInUseException extends ErrorResponseException {

    public IdempotencyKeyInUseException(String key) {
        super(HttpStatus.CONFLICT, problem(key), null);
    }

    private static ProblemDetail problem(String key) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "A request with this Idempotency-Key is still being admitted; retry once it has been answered.");
        problem.setType(ProblemTypes.IDEMPOTENCY_KEY_IN_USE);
        problem.setTitle("Idempotency key in use");
        problem.setProperty("header", IdempotencyKey.HEADER);
        problem.setProperty("idempotencyKey", key);
        return problem;
    }
}
