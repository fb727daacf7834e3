package dev.asyncpatterns.calls;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/**
 * One global rate limiter ({@code asyncpatterns.calls.global-rate-limiters.<name>.*}):
 * {@code limitForPeriod} tokens, all given back at the start of each period.
 *
 * @param limitForPeriod tokens per period
 * @param limitRefreshPeriodMs length of a period
 */
public record GlobalRateLimit(@Min(1) @Max(1_000_000) int limitForPeriod,
        @Min(1) @Max(86_400_000) long limitRefreshPeriodMs) {

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
