package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * The failures of a background loop (claims, heartbeats, the reaper, row writes), logged at most
 * once per period with a count of those held back: while the database is gone every pass fails,
 * and one line a period says so better than one line per pass or per row. A store failure (see
 * {@link StoreUnavailableException#isStoreFailure}) is a WARN with its message; anything else is
 * a bug and an ERROR with its stack trace.
 */
public final class RepeatedFailureLog {

    /** How often a failure that keeps happening is logged again. */
    static final Duration PERIOD = Duration.ofSeconds(10);

    private final Logger log;
    private final String what;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt;
    private final AtomicLong heldBack = new AtomicLong();

    public RepeatedFailureLog(Logger log, String what) {
        this(log, what, PERIOD, System::nanoTime);
    }

    RepeatedFailureLog(Logger log, String what, Duration period, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
        this.nextAt = new AtomicLong(nanoTime.getAsLong());
    }

    public void failed(Throwable failure) {
        long now = nanoTime.getAsLong();
        long next = nextAt.get();
        if (now - next < 0 || !nextAt.compareAndSet(next, now + periodNanos)) {
            heldBack.incrementAndGet();
            return;
        }
        long more = heldBack.getAndSet(0);
        if (StoreUnavailableException.isStoreFailure(failure)) {
            log.warn("{} ({} more since the last report): {}", what, more, failure.toString());
        }
        else {
            log.error("{} ({} more since the last report)", what, more, failure);
        }
    }
}
