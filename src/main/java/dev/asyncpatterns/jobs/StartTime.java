package dev.asyncpatterns.jobs;

import java.time.Instant;
import java.util.OptionalLong;

import dev.asyncpatterns.web.BadRequestException;

/**
 * When a submitted job may start: {@code loop.call_at(runAt)} or {@code loop.call_later(delayMs)},
 * or at once when the request names neither. One place checks both fields, for the in-memory
 * registry and the shared store alike, so both answer the same 400s.
 */
public final class StartTime {

    /** Thirty days: the furthest a job may be scheduled, so a forgotten far-future job cannot pin a slot for long. */
    public static final long MAX_DELAY_MS = 30L * 24 * 60 * 60 * 1000;

    private StartTime() {
    }

    /**
     * The epoch millis at which the request's job is due, empty when it starts at once. A
     * {@code runAt} in the past is due now.
     *
     * @throws BadRequestException naming {@code runAt} or {@code delayMs}: both given, a negative
     *         delay, or a start more than {@link #MAX_DELAY_MS} away
     */
    public static OptionalLong dueAt(JobRequest request, long nowMillis) {
        Instant runAt = request.runAt();
        Long delayMs = request.delayMs();
        if (runAt != null && delayMs != null) {
            throw new BadRequestException("runAt", "give runAt or delayMs, not both");
        }
        if (delayMs != null) {
            if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
                throw new BadRequestException("delayMs", "must be between 0 and " + MAX_DELAY_MS + " (30 days)");
            }
            return OptionalLong.of(nowMillis + delayMs);
        }
        if (runAt != null) {
            // Compared as instants first: a far-off year does not fit epoch millis.
            if (runAt.isAfter(Instant.ofEpochMilli(nowMillis + MAX_DELAY_MS))) {
                throw new BadRequestException("runAt", "must be at most 30 days from now");
            }
            Instant now = Instant.ofEpochMilli(nowMillis);
            return OptionalLong.of(runAt.isBefore(now) ? nowMillis : runAt.toEpochMilli());
        }
        return OptionalLong.empty();
    }
}
