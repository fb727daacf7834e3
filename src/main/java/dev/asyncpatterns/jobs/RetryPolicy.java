package dev.asyncpatterns.jobs;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.asyncpatterns.web.BadRequestException;

/**
 * Whole-job retries with backoff (API.md section 11): an attempt that ends in a state of
 * {@code retryOn} runs again after {@code min(maxBackoffMs, backoffMs·2^(n−1))}, scaled by a random
 * factor in {@code [1−jitter, 1]} so that jobs failing together do not all come back together.
 * The in-memory registry computes the delay with {@link #delayMs}; the PostgreSQL store computes
 * the same formula in SQL (see {@code cluster.RetryRows}), on the policy as {@link #normalized()} stores it.
 *
 * @param maxAttempts attempts in all, the first included, 1 to {@link #MAX_ATTEMPTS}
 * @param backoffMs the wait before the second attempt, doubled before each next one
 * @param maxBackoffMs the longest wait; {@link StartTime#MAX_DELAY_MS} when absent
 * @param jitter 0 to 1: how much of each wait may be taken off at random; 0 when absent
 * @param retryOn the end states that are retried, FAILED and/or TIMED_OUT; {@code [FAILED]} when absent
 */
public record RetryPolicy(
        @Schema(description = "Attempts in all, the first included", example = "3", minimum = "1", maximum = "20") Integer maxAttempts,
        @Schema(description = "Wait before the second attempt in ms, doubled before each next one", example = "1000") Long backoffMs,
        @Schema(description = "Longest wait in ms; 30 days when absent", example = "30000") Long maxBackoffMs,
        @Schema(description = "0 to 1: each wait is scaled by a random factor in [1-jitter, 1]", example = "0.2") Double jitter,
        @Schema(description = "End states that are retried; [FAILED] when absent", example = "[\"FAILED\", \"TIMED_OUT\"]") List<JobState> retryOn) {

    /** Bounds {@code attempts[]} of a job, so a retried job stays small. */
    public static final int MAX_ATTEMPTS = 20;

    /**
     * The policy with every default filled in, or a 400 naming the first bad field
     * ({@code retry.maxAttempts}, {@code retry.backoffMs}, ...).
     */
    public RetryPolicy normalized() {
        if (maxAttempts == null || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new BadRequestException("retry.maxAttempts", "must be between 1 and " + MAX_ATTEMPTS);
        }
        if (backoffMs == null || backoffMs < 0 || backoffMs > StartTime.MAX_DELAY_MS) {
            throw new BadRequestException("retry.backoffMs", "must be between 0 and " + StartTime.MAX_DELAY_MS);
        }
        if (maxBackoffMs != null && (maxBackoffMs < 0 || maxBackoffMs > StartTime.MAX_DELAY_MS)) {
            throw new BadRequestException("retry.maxBackoffMs", "must be between 0 and " + StartTime.MAX_DELAY_MS);
        }
        if (jitter != null && !(jitter >= 0 && jitter <= 1)) {
            throw new BadRequestException("retry.jitter", "must be between 0 and 1");
        }
        if (retryOn != null && (retryOn.isEmpty()
                || !retryOn.stream().allMatch(state -> state == JobState.FAILED || state == JobState.TIMED_OUT))) {
            throw new BadRequestException("retry.retryOn", "must list FAILED and/or TIMED_OUT");
        }
        return new RetryPolicy(maxAttempts, backoffMs, maxBackoffMs != null ? maxBackoffMs : StartTime.MAX_DELAY_MS,
                jitter != null ? jitter : 0.0, retryOn != null ? List.copyOf(retryOn) : List.of(JobState.FAILED));
    }

    /** Whether attempt number {@code attempt}, which ended in {@code outcome}, runs again (a normalized policy). */
    public boolean retries(JobState outcome, int attempt) {
        return attempt < maxAttempts && retryOn.contains(outcome);
    }

    /**
     * The wait before the attempt after attempt {@code attempt} (1-based) of a normalized policy,
     * given {@code random} in [0, 1): the full backoff at 0, {@code 1−jitter} of it towards 1.
     */
    public long delayMs(int attempt, double random) {
        // The shift is capped: past 2^40 any backoff is beyond the 30-day cap anyway.
        double backoff = Math.min(maxBackoffMs, backoffMs * Math.pow(2, Math.min(attempt - 1, 40)));
        return Math.round(backoff * (1 - jitter * random));
    }
}
