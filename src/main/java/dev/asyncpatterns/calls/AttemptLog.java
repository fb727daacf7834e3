package dev.asyncpatterns.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Schedulers;

/**
 * The attempt timeline of one resilient call. Attempts happen one after another, so the list is
 * bounded by the retry's {@code maxAttempts}. Time is read from Reactor's parallel scheduler, the
 * one every wait runs on, so the timeline is exact under virtual time in tests.
 */
final class AttemptLog {

    private final List<Attempt> attempts = new ArrayList<>();

    static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    synchronized void ended(String outcome, long startedMs) {
        attempts.add(new Attempt(attempts.size() + 1, outcome, now() - startedMs, null));
    }

    /** The retry decided to wait this long before trying again, after the last attempt. */
    synchronized void backoff(long millis) {
        int last = attempts.size() - 1;
        if (last >= 0) {
            attempts.set(last, attempts.get(last).withBackoff(millis));
        }
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
