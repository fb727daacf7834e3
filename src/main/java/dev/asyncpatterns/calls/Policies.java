package dev.asyncpatterns.calls;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/policies}: every configured Resilience4j instance, its settings and live state.
 *
 * @param order the order in which {@code POST /api/calls} applies the instances it names
 * @param rateLimiters every rate limiter
 * @param retries every retry
 * @param circuitBreakers every circuit breaker
 * @param bulkheads every bulkhead
 * @param timeLimiters every time limiter
 * @param globalRateLimiters every global rate limiter (left out of the JSON when none is configured)
 */
public record Policies(String order, List<RateLimiterView> rateLimiters, List<RetryView> retries,
        List<CircuitBreakerView> circuitBreakers, List<BulkheadView> bulkheads, List<TimeLimiterView> timeLimiters,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GlobalRateLimiterView> globalRateLimiters) {

    /** The Resilience4j instances alone. */
    public Policies(String order, List<RateLimiterView> rateLimiters, List<RetryView> retries,
            List<CircuitBreakerView> circuitBreakers, List<BulkheadView> bulkheads, List<TimeLimiterView> timeLimiters) {
        this(order, rateLimiters, retries, circuitBreakers, bulkheads, timeLimiters, List.of());
    }

    /** These policies with the global rate limiters added. */
    Policies withGlobalRateLimiters(List<GlobalRateLimiterView> global) {
        return new Policies(order, rateLimiters, retries, circuitBreakers, bulkheads, timeLimiters, global);
    }

    /**
     * A global rate limiter ({@code asyncpatterns.calls.global-rate-limiters.<name>}).
     *
     * @param name limiter name, what {@code globalRateLimiter} names
     * @param backend where its bucket lives: {@code local} (this instance) or {@code postgres} (all instances)
     * @param limitForPeriod tokens per period
     * @param limitRefreshPeriodMs length of a period
     * @param availableTokens tokens left now
     */
    public record GlobalRateLimiterView(String name, String backend, int limitForPeriod, long limitRefreshPeriodMs,
            long availableTokens) {
    }

    /**
     * A rate limiter.
     *
     * @param name instance name
     * @param limitForPeriod permits per refresh period
     * @param limitRefreshPeriodMs length of a period
     * @param timeoutMs how long a call waits (on a timer) for a permit before 429
     * @param availablePermissions permits left in the current period (negative: reserved ahead)
     * @param msToNextPermit how long a call arriving now would wait for a permit
     */
    public record RateLimiterView(String name, int limitForPeriod, long limitRefreshPeriodMs, long timeoutMs,
            int availablePermissions, long msToNextPermit) {
    }

    /**
     * A retry.
     *
     * @param name instance name
     * @param maxAttempts attempts in all, the first call included
     * @param waitDurationMs the first backoff
     * @param exponentialBackoffMultiplier growth of the backoff per attempt; absent when constant
     * @param randomizedWaitFactor jitter: each wait is drawn within this share either side; absent without jitter
     * @param maxWaitMs cap on the computed backoff; absent when uncapped
     * @param retryAfterCapMs the longest upstream {@code Retry-After} honoured
     * @param successfulWithoutRetry calls that succeeded at once
     * @param successfulWithRetry calls that succeeded after retrying
     * @param failedWithRetry calls that failed after every attempt
     * @param failedWithoutRetry calls that failed in a way not worth retrying
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetryView(String name, int maxAttempts, @Nullable Long waitDurationMs,
            @Nullable Double exponentialBackoffMultiplier, @Nullable Double randomizedWaitFactor,
            @Nullable Long maxWaitMs, long retryAfterCapMs, long successfulWithoutRetry, long successfulWithRetry,
            long failedWithRetry, long failedWithoutRetry) {
    }

    /**
     * A circuit breaker.
     *
     * @param name instance name
     * @param state CLOSED, OPEN, HALF_OPEN, or a forced state
     * @param failureRate failure rate of the sliding window in percent; absent until it holds
     *                    {@code minimumNumberOfCalls}
     * @param failureRateThreshold the rate at which the circuit opens, in percent
     * @param slidingWindowSize calls (or seconds) in the sliding window
     * @param minimumNumberOfCalls calls needed before the failure rate counts
     * @param waitInOpenStateMs how long the circuit stays open before letting trial calls through
     * @param permittedCallsInHalfOpenState trial calls while half-open
     * @param bufferedCalls calls in the window
     * @param failedCalls failed calls in the window
     * @param notPermittedCalls calls refused while open
     * @param msUntilHalfOpen time left before an open circuit lets a trial call through; absent unless OPEN
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CircuitBreakerView(String name, String state, @Nullable Float failureRate,
            float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls, long waitInOpenStateMs,
            int permittedCallsInHalfOpenState, int bufferedCalls, int failedCalls, long notPermittedCalls,
            @Nullable Long msUntilHalfOpen) {
    }

    /**
     * A bulkhead.
     *
     * @param name instance name
     * @param maxConcurrentCalls slots: calls in flight at once
     * @param maxWaitMs how long a call waits (on a timer) for a free slot before 503
     * @param availableConcurrentCalls slots free now
     */
    public record BulkheadView(String name, int maxConcurrentCalls, long maxWaitMs, int availableConcurrentCalls) {
    }

    /**
     * A time limiter.
     *
     * @param name instance name
     * @param timeoutMs bound on each attempt
     */
    public record TimeLimiterView(String name, long timeoutMs) {
    }
}
