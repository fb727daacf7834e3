package dev.asyncpatterns.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.Problems;

/**
 * A per-caller quota is used up: 429 naming the quota ({@code quota}, its {@code limit}, what the
 * caller holds ({@code inUse}) and what the refused request asked for ({@code requested})).
 * {@code Retry-After} only when waiting can help: not for a request that alone asks for more
 * than the limit.
 */
public final class QuotaExceededException extends ErrorResponseException {

    public QuotaExceededException(String quota, long limit, long inUse, long requested, String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(quota, limit, inUse, requested, detail), null);
        if (requested <= limit) {
            getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        }
    }

    private static ProblemDetail problem(String quota, long limit, long inUse, long requested, String detail) {
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.QUOTA_EXCEEDED,
                "Quota exceeded: " + quota, detail);
        problem.setProperty("quota", quota);
        problem.setProperty("limit", limit);
        problem.setProperty("inUse", inUse);
        problem.setProperty("requested", requested);
        return problem;
    }
}
