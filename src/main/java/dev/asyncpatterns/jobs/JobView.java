package dev.asyncpatterns.jobs;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.asyncpatterns.callbacks.CallbackView;

/**
 * The job JSON of API.md section 1: a consistent-enough snapshot of a {@link Job}, taken when a
 * response or event is written. {@code progress.total} is null when the work has no known end
 * (a {@code ticker}); {@code timeoutMs} is null when the job has no timeout. {@code createdBy} names
 * the caller that started it (API key name or JWT subject), null for an anonymous caller.
 * {@code instanceId} (the owning instance) and {@code attempt} exist only with a shared job store
 * ({@code asyncpatterns.store=postgres}); the in-memory store leaves them out of the JSON.
 * {@code nextAttemptAt} is when a SCHEDULED job is due, and absent in every other state.
 * {@code callback} (API.md §12) is there only for a job submitted with one.
 */
public record JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
        Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
        Instant startedAt, Instant finishedAt, String createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String instanceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) CallbackView callback) {

    /** A job of the in-memory store: no owner instance, no attempt count. */
    public JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
            Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, String createdBy) {
        this(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt, startedAt,
                finishedAt, createdBy, null, null, null);
    }

    /** A job of a shared store, with its owner instance and attempt count, not scheduled. */
    public JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
            Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, String createdBy, String instanceId, Integer attempt) {
        this(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt, startedAt,
                finishedAt, createdBy, instanceId, attempt, null);
    }

    /** A job without a callback. */
    public JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
            Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, String createdBy, String instanceId, Integer attempt,
            Instant nextAttemptAt) {
        this(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt, startedAt,
                finishedAt, createdBy, instanceId, attempt, nextAttemptAt, null);
    }

    /** This view as seen in a shared store: run by {@code instance}, in its {@code attemptNumber}th attempt. */
    public JobView placed(String instance, Integer attemptNumber) {
        return new JobView(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt,
                startedAt, finishedAt, createdBy, instance, attemptNumber, nextAttemptAt, callback);
    }

    /** This view with its callback's state. */
    JobView withCallback(CallbackView state) {
        return new JobView(id, type, name, this.state, params, timeoutMs, progress, result, error, cancelReason,
                createdAt, startedAt, finishedAt, createdBy, instanceId, attempt, nextAttemptAt, state);
    }

    /** How far the work got: {@code completed} of {@code total} (null when unbounded). */
    public record Progress(long completed, Long total) {
    }
}
