package dev.asyncpatterns.calls;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/**
 * One global rate limiter ({@code asyncpatterns.calls.global-rate-limiters.<name>.*}):
 * {@code limitForPeriod} tokens, all given back at the start of each period.
 *
 * @param limitForPeriod tokens per period
 * @param limitRefreshPeriod length of a period
 */
public record GlobalRateLimit(@Min(1) @Max(1_000_000) int limitForPeriod,
        @NotNull @DurationMin(millis = 1) @DurationMax(days = 1) Duration limitRefreshPeriod) {

    /** The limit as Bucket4j sees it: capacity {@code limitForPeriod}, refilled all at once per period. */
    public Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(limitForPeriod)
            .refillIntervally(limitForPeriod, limitRefreshPeriod).build();
    }

    /** A bucket configuration holding just {@link #bandwidth()}, for distributed buckets. */
    public BucketConfiguration bucket() {
        return BucketConfiguration.builder().addLimit(bandwidth()).build();
    }
}
