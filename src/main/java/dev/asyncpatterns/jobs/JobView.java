package dev.asyncpatterns.jobs;

import java.time.Instant;

/**
 * The job JSON of API.md section 1: a consistent-enough snapshot of a {@link Job}, taken when a
 * response or event is written. {@code progress.total} is null when the work has no known end
 * (a {@code ticker}); {@code timeoutMs} is null when the job has no timeout. {@code createdBy} names
 * the caller that started it (API key name or JWT subject), null for an anonymous caller.
 */
public record JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
        Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
        Instant startedAt, Instant finishedAt, String createdBy) {

    /** How far the work got: {@code completed} of {@code total} (null when unbounded). */
    public record Progress(long completed, Long total) {
    }
}
