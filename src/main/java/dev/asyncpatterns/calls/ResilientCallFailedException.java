package dev.asyncpatterns.calls;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.web.Problems;
import dev.asyncpatterns.web.ProblemTypes;

/**
 * A resilient call that did not come to an answer worth a 200: the problem carries the attempt
 * timeline ({@code attempts}) and, when a call was made, the last {@code result}; a
 * {@code Retry-After} header where the wait is known.
 */
public class ResilientCallFailedException extends ErrorResponseException {

    /** Every attempt failed in a retryable way and the retry gave up (or there was none). */
    public static final URI RETRIES_EXHAUSTED = ProblemTypes.of("retries-exhausted");
    /** The named rate limiter had no permit within its timeout. */
    public static final URI RATE_LIMITED = ProblemTypes.of("rate-limited");
    /** The named circuit breaker is open: the upstream is not called. */
    public static final URI CIRCUIT_OPEN = ProblemTypes.of("circuit-open");
    /** The named bulkhead had no free slot within its maximum wait. */
    public static final URI BULKHEAD_FULL = ProblemTypes.of("bulkhead-full");
    /** The whole call, retries and waits included, ran past {@code timeoutMs}. */
    public static final URI CALL_TIMEOUT = ProblemTypes.of("call-timeout");

    private ResilientCallFailedException(HttpStatus status, URI type, String title, String detail, List<Attempt> attempts,
            @Nullable CallResult result, @Nullable Duration retryAfter) {
        super(status, problem(status, type, title, detail, attempts, result), null);
        if (retryAfter != null) {
            getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(roundUpToSeconds(retryAfter)));
        }
    }

    static ResilientCallFailedException retriesExhausted(CallResult last, List<Attempt> attempts) {
        return new ResilientCallFailedException(HttpStatus.BAD_GATEWAY, RETRIES_EXHAUSTED, "Retries exhausted",
                "The upstream call failed " + attempts.size() + (attempts.size() == 1 ? " time" : " times")
                        + "; the last attempt: " + Outcomes.describe(last),
                attempts, last, null);
    }

    static ResilientCallFailedException rateLimited(String name, Duration retryAfter, List<Attempt> attempts) {
        return new ResilientCallFailedException(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED, "Rate limited",
                "Rate limiter '" + name + "' had no permit within its timeout", attempts, null, retryAfter);
    }

    static ResilientCallFailedException globalRateLimited(String name, Duration retryAfter) {
        return new ResilientCallFailedException(HttpStatus.TOO_MANY_REQUESTS, RATE_LIMITED, "Rate limited",
                "Global rate limiter '" + name + "' has no token left; the next comes in " + retryAfter.toMillis()
                        + " ms", List.of(), null, retryAfter);
    }

    static ResilientCallFailedException circuitOpen(String name, @Nullable Duration retryAfter, List<Attempt> attempts) {
        return new ResilientCallFailedException(HttpStatus.SERVICE_UNAVAILABLE, CIRCUIT_OPEN, "Circuit open",
                "Circuit breaker '" + name + "' is open: the upstream is not being called", attempts, null, retryAfter);
    }

    static ResilientCallFailedException bulkheadFull(String name, Duration maxWait, List<Attempt> attempts) {
        return new ResilientCallFailedException(HttpStatus.SERVICE_UNAVAILABLE, BULKHEAD_FULL, "Bulkhead full",
                "Bulkhead '" + name + "' had no free slot within " + maxWait.toMillis() + " ms", attempts, null,
                Duration.ofSeconds(1));
    }

    static ResilientCallFailedException timedOut(Duration timeout, List<Attempt> attempts) {
        return new ResilientCallFailedException(HttpStatus.GATEWAY_TIMEOUT, CALL_TIMEOUT, "Call timed out",
                "The call did not finish within timeoutMs " + timeout.toMillis() + "; the attempt in flight was cancelled",
                attempts, null, null);
    }

    /** Retry-After is whole seconds; never 0, which would invite an immediate retry that fails again. */
    static long roundUpToSeconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail,
            List<Attempt> attempts, @Nullable CallResult result) {
        ProblemDetail problem = Problems.of(status, type, title, detail);
        problem.setProperty("attempts", attempts);
        if (result != null) {
            problem.setProperty("result", result);
        }
        return problem;
    }
}
