package dev.asyncpatterns.jobs;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of the task registry ({@code asyncpatterns.jobs.*}).
 *
 * @param maxActive most non-terminal jobs at once; past it {@code POST /api/jobs} answers 429
 * @param retryAfterSeconds the {@code Retry-After} a 429 from a full registry carries
 * @param retention how long finished jobs stay visible before they are forgotten
 * @param maxWait cap on {@code GET /api/jobs/{id}?waitMs=}; longer waits are shortened to it
 * @param shutdownGrace how long running jobs may finish on shutdown before they are cancelled
 * @param defaultListLimit jobs {@code GET /api/jobs} returns when no {@code limit} is given
 * @param maxListLimit the largest {@code limit} {@code GET /api/jobs} accepts
 * @param sseKeepAlive interval of the keep-alive comment on {@code /api/jobs/{id}/events}
 * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered after its submit was answered,
 *                       even when retention has forgotten the job meanwhile
 * @param idempotencyMaxMemory with the in-memory store: most memory the remembered keys take (each
 *                             weighs its request body); past it the least used keys are forgotten early
 * @param maxScheduled most jobs waiting for their start time ({@code runAt}, {@code delayMs}) or for a
 *                     slot once due; past it {@code POST /api/jobs} of a delayed job answers 429
 */
@Validated
@ConfigurationProperties("asyncpatterns.jobs")
public record JobsProperties(
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxActive,
        @DefaultValue("1") @Min(1) @Max(3600) int retryAfterSeconds,
        @DefaultValue @Valid Retention retention,
        @DefaultValue("60s") @DurationMin(millis = 0) @DurationMax(hours = 1) Duration maxWait,
        @DefaultValue("10s") @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace,
        @DefaultValue("100") @Min(1) @Max(10_000) int defaultListLimit,
        @DefaultValue("1000") @Min(1) @Max(10_000) int maxListLimit,
        @DefaultValue("15s") @DurationMin(millis = 100) @DurationMax(minutes = 10) Duration sseKeepAlive,
        @DefaultValue("24h") @DurationMin(millis = 1) @DurationMax(days = 30) Duration idempotencyTtl,
        @DefaultValue("64MB") DataSize idempotencyMaxMemory,
        @DefaultValue("100000") @Min(1) @Max(10_000_000) int maxScheduled) {

    /**
     * Retention of terminal jobs: a finished job is forgotten once either bound is passed, so
     * memory stays flat however many jobs pass through.
     *
     * @param maxCount most terminal jobs kept; the oldest-finished go first
     * @param maxAge terminal jobs are forgotten this long after they finished
     */
    public record Retention(
            @DefaultValue("1000") @Min(0) @Max(1_000_000) int maxCount,
            @DefaultValue("1h") @DurationMin(millis = 0) @DurationMax(days = 7) Duration maxAge) {
    }
}
