package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.util.function.DoubleSupplier;

/**
 * Retry with backoff for whole jobs on the in-memory registry: an attempt that ends in a state its
 * policy retries gives back its slot and waits SCHEDULED in {@link DelayedStarts} for the next
 * attempt; {@code POST /api/jobs/{id}/retry} requeues a dead job the same way, due at once.
 * A cancel meanwhile ends the job where it waits, so no further attempt starts.
 */
final class JobRetries {

    private final Clock clock;
    private final DoubleSupplier random;
    private final AdmissionControl admission;
    private final DelayedStarts delayed;
    private final JobRetention retention;
    private final JobMetrics metrics;

    /** @param random uniform in [0, 1), scales each backoff by its policy's jitter */
    JobRetries(Clock clock, DoubleSupplier random, AdmissionControl admission, DelayedStarts delayed,
            JobRetention retention, JobMetrics metrics) {
        this.clock = clock;
        this.random = random;
        this.admission = admission;
        this.delayed = delayed;
        this.retention = retention;
        this.metrics = metrics;
    }

    /**
     * Whether the running attempt that just ended in {@code outcome} waits for another instead of
     * ending the job. False when its policy says no, when a cancel ended the job first, or when
     * {@code max-scheduled} jobs wait already (then this attempt's end is the job's).
     */
    boolean retryLater(Job job, JobState outcome, JobError error) {
        Attempts history = job.attempts();
        if (history == null || !history.retries(outcome)) {
            return false;
        }
        long now = clock.millis();
        long dueAt = now + history.delayMs(random.getAsDouble());
        try {
            if (!delayed.scheduleAgain(job, history.type(), history.caller(),
                    () -> job.retryAt(dueAt, outcome, error, now, () -> admission.release(job.id())))) {
                return false;
            }
        }
        catch (RegistryFullException full) {
            return false;
        }
        metrics.retried();
        return true;
    }

    /**
     * Runs a FAILED, TIMED_OUT or CANCELLED job once more (no new backoff budget): it waits
     * SCHEDULED, due now, and starts when admitted. 409 in any other state; 429 when
     * {@code max-scheduled} jobs wait already.
     */
    void requeue(Job job, JobType<Object> type, JobCaller caller) {
        JobState state = job.state();
        if (!state.isTerminal() || state == JobState.SUCCEEDED) {
            throw new IllegalJobTransitionException(job.id(), state, JobState.SCHEDULED);
        }
        Attempts history = job.attempts() != null ? job.attempts() : new Attempts(null, type, caller);
        long now = clock.millis();
        boolean reopened = delayed.scheduleAgain(job, type, caller, () -> {
            if (!job.reopen(now, history)) {
                return false;
            }
            // Before it can start (and end again), so retention holds it at most once.
            retention.reopened(job);
            return true;
        });
        if (!reopened) {
            // Another requeue won the race.
            throw new IllegalJobTransitionException(job.id(), job.state(), JobState.SCHEDULED);
        }
        metrics.retried();
    }
}
