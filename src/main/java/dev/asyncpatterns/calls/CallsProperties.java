package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Resilient calls ({@code asyncpatterns.calls.*}); the Resilience4j instances themselves are
 * configured under {@code resilience4j.*}.
 *
 * @param defaultTimeout bound on a whole {@code POST /api/calls} (every attempt, backoff and wait)
 *                       when the request names no {@code timeoutMs}
 * @param maxTimeout the longest {@code timeoutMs} a request may ask for
 * @param maxRetryAfter the longest upstream {@code Retry-After} honoured for a retry instance that
 *                      sets no {@code exponentialMaxWaitDuration} of its own
 * @param globalRateLimiters the limiters {@code POST /api/calls} names in {@code globalRateLimiter},
 *                           by name: shared by every instance with {@code asyncpatterns.store=postgres},
 *                           local to the instance with the memory store; none when absent
 */
@Validated
@ConfigurationProperties("asyncpatterns.calls")
public record CallsProperties(
        @DefaultValue("60s") Duration defaultTimeout,
        @DefaultValue("300s") Duration maxTimeout,
        @DefaultValue("30s") Duration maxRetryAfter,
        Map<String, @Valid GlobalRateLimit> globalRateLimiters) {

    public CallsProperties {
        requirePositive("default-timeout", defaultTimeout);
        requirePositive("max-timeout", maxTimeout);
        requirePositive("max-retry-after", maxRetryAfter);
        if (defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException("asyncpatterns.calls.default-timeout must not exceed max-timeout");
        }
        globalRateLimiters = globalRateLimiters == null ? Map.of() : Map.copyOf(globalRateLimiters);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("asyncpatterns.calls." + name + " must be a positive duration");
        }
    }
}
