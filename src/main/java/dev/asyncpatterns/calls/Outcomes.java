package dev.asyncpatterns.calls;

import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;

import dev.asyncpatterns.outbound.CallResult;

/** The {@code outcome} words of an attempt, in one place so the timeline reads the same everywhere. */
final class Outcomes {

    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
    static final String BULKHEAD_FULL = "BULKHEAD_FULL";
    static final String TIMEOUT = "TIMEOUT";
    static final String CANCELLED = "CANCELLED";

    private Outcomes() {
    }

    /** {@code OK 200}, {@code HTTP_STATUS 503}, {@code TIMEOUT}, {@code CONNECT}… */
    static String describe(CallResult result) {
        if (result.ok()) {
            return "OK " + result.status();
        }
        return result.error().status() == null ? result.error().type().name()
                : result.error().type().name() + " " + result.error().status();
    }

    /** What an attempt that ended in an error came to. */
    static String describe(Throwable failure) {
        if (failure instanceof RetryableCallException retryable) {
            return describe(retryable.result());
        }
        if (failure instanceof RequestNotPermitted) {
            return RATE_LIMITED;
        }
        if (failure instanceof CallNotPermittedException) {
            return CIRCUIT_OPEN;
        }
        if (failure instanceof BulkheadFullException) {
            return BULKHEAD_FULL;
        }
        if (failure instanceof TimeoutException) {
            return TIMEOUT;
        }
        return failure.getClass().getSimpleName();
    }
}
