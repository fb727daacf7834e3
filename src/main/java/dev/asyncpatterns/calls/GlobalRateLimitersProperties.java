package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Named global rate limiters ({@code asyncpatterns.calls.global-rate-limiters.<name>.*}) that
 * {@code POST /api/calls} names in {@code globalRateLimiter}: shared by every instance with
 * {@code asyncpatterns.store=postgres}, local to the instance with the memory store.
 *
 * @param globalRateLimiters the limiters by name; none when absent
 */
@Validated
@ConfigurationProperties("asyncpatterns.calls")
public record GlobalRateLimitersProperties(Map<String, @Valid Limit> globalRateLimiters) {

    public GlobalRateLimitersProperties {
        globalRateLimiters = globalRateLimiters == null ? Map.of() : Map.copyOf(globalRateLimiters);
    }

    /**
     * One limiter: {@code limitForPeriod} tokens, all given back at the start of each period.
     *
     * @param limitForPeriod tokens per period
     * @param limitRefreshPeriodMs length of a period
     */
    public record Limit(@Min(1) @Max(1_000_000) int limitForPeriod, @Min(1) @Max(86_400_000) long limitRefreshPeriodMs) {

        /** The limit as Bucket4j sees it: capacity {@code limitForPeriod}, refilled all at once per period. */
        public Bandwidth bandwidth() {
            return Bandwidth.builder().capacity(limitForPeriod)
                .refillIntervally(limitForPeriod, Duration.ofMillis(limitRefreshPeriodMs)).build();
        }

        /** A bucket configuration holding just {@link #bandwidth()}, for distributed buckets. */
        public BucketConfiguration bucket() {
            return BucketConfiguration.builder().addLimit(bandwidth()).build();
        }
    }
}
