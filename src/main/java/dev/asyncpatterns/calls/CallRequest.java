package dev.asyncpatterns.calls;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/calls}: one outbound GET through the named Resilience4j instances.
 *
 * @param url the URL to call; its host must be in {@code asyncpatterns.outbound.allowed-hosts}
 * @param rateLimiter name of a {@code resilience4j.ratelimiter} instance, or none
 * @param retry name of a {@code resilience4j.retry} instance, or none (the call is made once)
 * @param circuitBreaker name of a {@code resilience4j.circuitbreaker} instance, or none
 * @param bulkhead name of a {@code resilience4j.bulkhead} instance, or none
 * @param timeLimiter name of a {@code resilience4j.timelimiter} instance bounding each attempt, or none
 * @param timeoutMs bound on the whole call (every attempt, backoff and wait); default
 *                  {@code asyncpatterns.calls.default-timeout}
 * @param perCallTimeoutMs bound on each HTTP exchange; default {@code asyncpatterns.outbound.default-response-timeout}
 * @param globalRateLimiter name of an {@code asyncpatterns.calls.global-rate-limiters} limiter, shared by
 *                          every instance with {@code store=postgres}; a token per attempt, taken after the
 *                          local rate limiter's permit; none when absent
 */
public record CallRequest(
        @Schema(example = "http://localhost:8080/sim/flaky?failureRate=0.5&seed=42")
        @NotBlank @Size(max = 2048) String url,
        @Schema(example = "default") @Size(min = 1, max = 200) @Nullable String rateLimiter,
        @Schema(example = "default") @Size(min = 1, max = 200) @Nullable String retry,
        @Schema(example = "default") @Size(min = 1, max = 200) @Nullable String circuitBreaker,
        @Schema(example = "default") @Size(min = 1, max = 200) @Nullable String bulkhead,
        @Schema(example = "default") @Size(min = 1, max = 200) @Nullable String timeLimiter,
        @Schema(example = "10000") @Min(1) @Max(3_600_000) @Nullable Long timeoutMs,
        @Schema(example = "2000") @Min(1) @Max(3_600_000) @Nullable Long perCallTimeoutMs,
        @Schema(example = "upstream") @Size(min = 1, max = 200) @Nullable String globalRateLimiter) {
}
