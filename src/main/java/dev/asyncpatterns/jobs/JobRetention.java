package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * How long finished jobs stay visible ({@code asyncpatterns.jobs.retention}): a terminal job is
 * forgotten once more than {@code max-count} finished after it, or {@code max-age} after it
 * finished, so memory stays flat however many jobs pass through. The age bound is applied by a
 * sweep while started and before every list, the count bound whenever a job finishes.
 */
final class JobRetention {

    /** Bounds on the sweep interval: often enough for short ages, never a busy loop. */
    private static final long MIN_SWEEP_MS = 10;
    private static final long MAX_SWEEP_MS = 1_000;

    private final JobsProperties.Retention bounds;
    private final Map<JobId, Job> jobs;
    private final Clock clock;
    /** Terminal jobs in the order they finished, oldest first. */
    private final ConcurrentLinkedDeque<Job> finished = new ConcurrentLinkedDeque<>();
    /** The deque's size, which the deque itself only counts by walking. */
    private final AtomicInteger finishedCount = new AtomicInteger();
    private volatile Disposable sweep = Disposables.disposed();

    /**
     * @param jobs the registry's jobs, from which forgotten jobs are removed
     */
    JobRetention(JobsProperties.Retention bounds, Map<JobId, Job> jobs, Clock clock) {
        this.bounds = bounds;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Records a job that just reached its terminal state, forgetting the oldest past {@code max-count}. */
    void finished(Job job) {
        finished.add(job);
        finishedCount.incrementAndGet();
        while (finishedCount.get() > bounds.maxCount()) {
            if (!evictOldest()) {
                return;
            }
        }
    }

    /** Forgets a job now (a {@code DELETE}). */
    void forget(Job job) {
        jobs.remove(job.id());
        if (finished.remove(job)) {
            finishedCount.decrementAndGet();
        }
    }

    /** A finished job runs again (a dead-letter requeue): it is not finished until it ends again. */
    void reopened(Job job) {
        if (finished.remove(job)) {
            finishedCount.decrementAndGet();
        }
    }

    /** Forgets every job that finished {@code max-age} ago or longer. */
    void evictExpired() {
        long cutoff = clock.millis() - bounds.maxAge().toMillis();
        for (Job oldest = finished.peekFirst(); oldest != null && oldest.finishedAt() <= cutoff;
                oldest = finished.peekFirst()) {
            if (!evictOldest()) {
                return;
            }
        }
    }

    private boolean evictOldest() {
        Job oldest = finished.pollFirst();
        if (oldest == null) {
            return false;
        }
        finishedCount.decrementAndGet();
        jobs.remove(oldest.id());
        return true;
    }

    /** Starts the age sweep, so expired jobs go even when nobody lists. */
    void start() {
        long sweepMs = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, bounds.maxAge().toMillis()));
        sweep = Flux.interval(Duration.ofMillis(sweepMs)).subscribe(tick -> evictExpired());
    }

    void stop() {
        sweep.dispose();
    }
}
