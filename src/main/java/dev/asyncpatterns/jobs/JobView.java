package dev.asyncpatterns.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
 * {@code maxAttempts} and {@code attempts} (section 11), and {@code attempt} in memory too, are there
 * for a job submitted with a {@code retry} policy or requeued with {@code POST /api/jobs/{id}/retry};
 * others leave them out.
 * {@code callback} (API.md §12) is there only for a job submitted with one.
 * {@code scheduleId} (section 11) names the schedule that started the job, absent for every other job.
 */
public record JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
        Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
        Instant startedAt, Instant finishedAt, String createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String instanceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxAttempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<JobAttempt> attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) CallbackView callback,
        @JsonInclude(JsonInclude.Include.NON_NULL) String scheduleId) {

    /** A job no schedule started. */
    public JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
            Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, String createdBy, String instanceId, Integer attempt,
            Instant nextAttemptAt, Integer maxAttempts, List<JobAttempt> attempts, CallbackView callback) {
        this(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt, startedAt,
                finishedAt, createdBy, instanceId, attempt, nextAttemptAt, maxAttempts, attempts, callback, null);
    }

    /** A job without retries or a callback. */
    public JobView(JobId id, String type, String name, JobState state, Object params, Long timeoutMs,
            Progress progress, Object result, JobError error, CancelReason cancelReason, Instant createdAt,
            Instant startedAt, Instant finishedAt, String createdBy, String instanceId, Integer attempt,
            Instant nextAttemptAt) {
        this(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt, startedAt,
                finishedAt, createdBy, instanceId, attempt, nextAttemptAt, null, null, null);
    }

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

    /** This view as seen in a shared store: run by {@code instance}, in its {@code attemptNumber}th attempt. */
    public JobView placed(String instance, Integer attemptNumber) {
        return new JobView(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt,
                startedAt, finishedAt, createdBy, instance, attemptNumber, nextAttemptAt, maxAttempts, attempts, callback,
                scheduleId);
    }

    /**
     * This view with the retry fields of section 11: {@code attempt} started so far, at most
     * {@code max}, those that ended and, while one runs, the running one last.
     */
    public JobView withAttempts(int attemptNumber, int max, List<JobAttempt> ended) {
        List<JobAttempt> all = ended;
        if (state == JobState.RUNNING) {
            all = new ArrayList<>(ended.size() + 1);
            all.addAll(ended);
            all.add(new JobAttempt(attemptNumber, JobState.RUNNING, null, startedAt, null));
        }
        return new JobView(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt,
                startedAt, finishedAt, createdBy, instanceId, attemptNumber, nextAttemptAt, max, List.copyOf(all),
                callback, scheduleId);
    }

    /** This view with its callback's state. */
    public JobView withCallback(CallbackView state) {
        return new JobView(id, type, name, this.state, params, timeoutMs, progress, result, error, cancelReason,
                createdAt, startedAt, finishedAt, createdBy, instanceId, attempt, nextAttemptAt, maxAttempts, attempts,
                state, scheduleId);
    }

    /** This view as the job of the schedule {@code schedule} (null: of none). */
    public JobView scheduledBy(String schedule) {
        return new JobView(id, type, name, state, params, timeoutMs, progress, result, error, cancelReason, createdAt,
                startedAt, finishedAt, createdBy, instanceId, attempt, nextAttemptAt, maxAttempts, attempts, callback,
                schedule);
    }

    /** How far the work got: {@code completed} of {@code total} (null when unbounded). */
    public record Progress(long completed, Long total) {
    }
}
