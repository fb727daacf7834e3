package dev.asyncpatterns.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * The {@code Idempotency-Key} was used before with a different body: 422. Replaying the first job
 * would answer a request the client did not make; starting a new one would break the key's promise.
 */
public class IdempotencyKeyReusedException extends ErrorResponseException {

    public IdempotencyKeyReusedException(String key) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(key), null);
    }

    private static ProblemDetail problem(String key) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "This Idempotency-Key was used with a different request body; use a new key for a new request.");
        problem.setType(ProblemTypes.IDEMPOTENCY_KEY_REUSED);
        problem.setTitle("Idempotency key reused");
        problem.setProperty("header", IdempotencyKey.HEADER);
        problem.setProperty("idempotencyKey", key);
        return problem;
    }
}
