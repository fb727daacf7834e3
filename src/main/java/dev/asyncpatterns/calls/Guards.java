package dev.asyncpatterns.calls;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;

import org.jspecify.annotations.Nullable;

/**
 * The instances one request named (null for a kind it did not name), with the setting the retry
 * needs beside them.
 *
 * @param retry the retry, if named
 * @param retryAfterCap the longest upstream {@code Retry-After} the retry honours
 * @param circuitBreaker the circuit breaker, if named
 * @param rateLimiter the rate limiter, if named
 * @param timeLimiter the time limiter, if named
 * @param bulkhead the bulkhead, if named, with its line of waiting calls
 */
record Guards(@Nullable Retry retry, Duration retryAfterCap, @Nullable CircuitBreaker circuitBreaker,
        @Nullable RateLimiter rateLimiter, @Nullable TimeLimiter timeLimiter, @Nullable WaitingBulkhead bulkhead) {

    /** No instance at all: the call is made once, as is. */
    static Guards none() {
        return new Guards(null, Duration.ZERO, null, null, null, null);
    }

    Guards withRetry(Retry retry, Duration retryAfterCap) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead);
    }

    Guards withCircuitBreaker(CircuitBreaker circuitBreaker) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead);
    }

    Guards withRateLimiter(RateLimiter rateLimiter) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead);
    }

    Guards withTimeLimiter(TimeLimiter timeLimiter) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead);
    }

    Guards withBulkhead(WaitingBulkhead bulkhead) {
        return new Guards(retry, retryAfterCap, circuitBreaker, rateLimiter, timeLimiter, bulkhead);
    }
}
