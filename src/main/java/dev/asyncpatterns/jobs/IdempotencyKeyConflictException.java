package dev.asyncpatterns.jobs;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;

/**
 * An {@code Idempotency-Key} that cannot be honoured as sent: still in use by a submit being
 * admitted (409), or used before with another body (422). Either way nothing starts.
 */
public final class IdempotencyKeyConflictException extends ErrorResponseException {

    private IdempotencyKeyConflictException(HttpStatus status, URI type, String title, String detail, String key) {
        super(status, problem(status, type, title, detail, key), null);
    }

    /** 409: the first submit's outcome is not known yet, so there is nothing to replay; the client retries. */
    static IdempotencyKeyConflictException inUse(String key) {
        return new IdempotencyKeyConflictException(HttpStatus.CONFLICT, ProblemTypes.IDEMPOTENCY_KEY_IN_USE,
                "Idempotency key in use",
                "A request with this Idempotency-Key is still being admitted; retry once it has been answered.", key);
    }

    /**
     * 422: replaying the first job would answer a request the client did not make, and starting a
     * new one would break the key's promise.
     */
    static IdempotencyKeyConflictException reused(String key) {
        return new IdempotencyKeyConflictException(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                "Idempotency key reused",
                "This Idempotency-Key was used with a different request body; use a new key for a new request.", key);
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail, String key) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        problem.setProperty("header", IdempotencyKey.HEADER);
        problem.setProperty("idempotencyKey", key);
        return problem;
    }
}
