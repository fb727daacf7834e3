package dev.asyncpatterns.jobs;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a job, {@code [SCHEDULED →] PENDING → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMED_OUT}:
 * a job given a start time waits SCHEDULED until it is due, then PENDING until a slot is free.
 * The transition table below is the only place that says which move is legal; terminal states
 * have no way out, so a job that reached one keeps it; the one exception is an explicit dead-letter
 * requeue ({@code POST /api/jobs/{id}/retry}, {@code Job#reopen}), never a racing transition.
 * A job that retries goes from RUNNING back to SCHEDULED between attempts.
 */
public enum JobState {

    SCHEDULED, PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

    static {
        // A scheduled job becomes due (PENDING) or is cancelled before it ever starts.
        ALLOWED.put(SCHEDULED, EnumSet.of(PENDING, CANCELLED));
        // A job may fail or be cancelled before its work starts (rejected by a full pool, cancelled at once).
        ALLOWED.put(PENDING, EnumSet.of(RUNNING, FAILED, CANCELLED));
        // A running job that retries waits SCHEDULED for its next attempt (Job#retryAt).
        ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, SCHEDULED));
        for (JobState state : values()) {
            ALLOWED.putIfAbsent(state, EnumSet.noneOf(JobState.class));
        }
    }

    /** True for the four end states; a terminal job never changes again. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }

    /** Whether the transition table allows moving from this state to {@code target}. */
    public boolean canMoveTo(JobState target) {
        return ALLOWED.get(this).contains(target);
    }
}
