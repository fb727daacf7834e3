package dev.asyncpatterns.calls;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;

import org.jspecify.annotations.Nullable;

/**
 * The instances one request named (null for a kind it did not name), with the two settings the
 * non-blocking operators need beside them.
 *
 * @param retry the retry, if named
 * @param retryAfterCap the longest upstream {@code Retry-After} the retry honours
 * @param circuitBreaker the circuit breaker, if named
 * @param rateLimiter the rate limiter, if named
 * @param timeLimiter the time limiter, if named
 * @param bulkhead the bulkhead, if named
 * @param bulkheadWait how long a call may wait for a bulkhead slot
 */
record Guards(@Nullable Retry retry, Duration retryAfterCap, @Nullable CircuitBreaker circuitBreaker,
        @Nullable RateLimiter rateLimiter, @Nullable TimeLimiter timeLimiter, @Nullable Bulkhead bulkhead,
        Duration bulkheadWait) {

    /** No instance at all: the call is made once, as is. */
    static Guards none() {
        return new Guards(null, Duration.ZERO, null, null, null, null, Duration.ZERO);
    }

    Guards withRetry(Retry retry, Duration retryAfterCap) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead, bulkheadWait);
    }

    Guards withCircuitBreaker(CircuitBreaker circuitBreaker) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead, bulkheadWait);
    }

    Guards withRateLimiter(RateLimiter rateLimiter) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead, bulkheadWait);
    }

    Guards withTimeLimiter(TimeLimiter timeLimiter) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead, bulkheadWait);
    }

    Guards withBulkhead(Bulkhead bulkhead, Duration bulkheadWait) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead, bulkheadWait);
    }
}
