package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Optional;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;

/**
 * A call that failed in a way worth trying again: no connection, no answer in time, a 5xx or a
 * 429. Outbound failures are values ({@link CallResult}); the transient ones are turned into this
 * exception so the retry and the circuit breaker see them, and turned back into the result at
 * the edge. Public because {@code application.yml} names it in {@code retryExceptions} and
 * {@code recordExceptions}.
 */
public class RetryableCallException extends RuntimeException {

    private final transient CallResult result;

    RetryableCallException(CallResult result) {
        super(Outcomes.describe(result), null, false, false);
        this.result = result;
    }

    /** The failed call, as it would be reported. */
    CallResult result() {
        return result;
    }

    /**
     * Whether a failed result is transient: CONNECT, TIMEOUT, HTTP 5xx or 429. Other 4xx, bodies
     * that are too large or malformed, and cancellations are final answers.
     */
    static boolean isRetryable(CallResult result) {
        if (result.ok() || result.error() == null) {
            return false;
        }
        CallErrorType type = result.error().type();
        if (type == CallErrorType.CONNECT || type == CallErrorType.TIMEOUT) {
            return true;
        }
        Integer status = result.error().status();
        return type == CallErrorType.HTTP_STATUS && status != null && (status >= 500 || status == 429);
    }

    /** The upstream's {@code Retry-After} on a 429 or 503, the only answers where it means "retry then". */
    Optional<Duration> upstreamRetryAfter() {
        Integer status = result.error() == null ? null : result.error().status();
        if (status == null || (status != 429 && status != 503)) {
            return Optional.empty();
        }
        return result.error().retryAfterDelay();
    }
}
