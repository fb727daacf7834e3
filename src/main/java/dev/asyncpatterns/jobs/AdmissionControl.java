package dev.asyncpatterns.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Who may start a job now: the registry's own bound ({@code max-active}, 429 with
 * {@code Retry-After} past it) and every {@link JobAdmission} (the per-caller quotas), while the
 * registry is open. An admitted job holds its slot and what each admission reserved until
 * {@link #release} gives all of it back; after {@link #close} the returned signal completes when
 * the last job gives its slot back, which is what shutdown waits for.
 */
final class AdmissionControl {

    private final int maxActive;
    private final int retryAfterSeconds;
    private final List<JobAdmission> admissions;
    private final AtomicInteger active = new AtomicInteger();
    /** What each admitted job's admissions reserved, until it is released; at most max-active entries. */
    private final Map<JobId, Runnable> reservations = new ConcurrentHashMap<>();

    private volatile boolean open;
    private volatile Sinks.Empty<Void> drained = Sinks.empty();

    AdmissionControl(int maxActive, int retryAfterSeconds, List<JobAdmission> admissions) {
        this.maxActive = maxActive;
        this.retryAfterSeconds = retryAfterSeconds;
        this.admissions = List.copyOf(admissions);
    }

    /**
     * Takes a slot for job {@code id} and runs every admission in order, or throws and holds
     * nothing: {@link RegistryFullException} past {@code max-active}, or an admission's refusal
     * (what the earlier ones reserved is given back first).
     */
    void admit(JobId id, JobCaller caller, JobCost cost) {
        if (active.incrementAndGet() > maxActive) {
            releaseSlot();
            throw new RegistryFullException(maxActive, retryAfterSeconds);
        }
        try {
            reservations.put(id, reserve(caller, cost));
        }
        catch (RuntimeException refused) {
            releaseSlot();
            throw refused;
        }
    }

    /** Gives back job {@code id}'s slot and reservations; for a job not (or no longer) admitted, nothing. */
    void release(JobId id) {
        Runnable reservation = reservations.remove(id);
        if (reservation != null) {
            reservation.run();
            releaseSlot();
        }
    }

    private Runnable reserve(JobCaller caller, JobCost cost) {
        List<Runnable> reserved = new ArrayList<>(admissions.size());
        try {
            for (JobAdmission admission : admissions) {
                reserved.add(admission.admit(caller, cost));
            }
        }
        catch (RuntimeException refused) {
            reserved.forEach(Runnable::run);
            throw refused;
        }
        return () -> reserved.forEach(Runnable::run);
    }

    private void releaseSlot() {
        if (active.decrementAndGet() == 0 && !open) {
            drained.tryEmitEmpty();
        }
    }

    /** Accepts jobs (again), with a fresh drain signal for the next {@link #close}. */
    void open() {
        drained = Sinks.empty();
        open = true;
    }

    /** Refuses jobs from now on; the returned signal completes once no admitted job holds a slot. */
    Mono<Void> close() {
        open = false;
        if (active.get() == 0) {
            drained.tryEmitEmpty();
        }
        return drained.asMono();
    }

    /** False before {@link #open} and after {@link #close}: new jobs get 503. */
    boolean isOpen() {
        return open;
    }

    /** Jobs holding a slot: admitted and not yet released. */
    int activeCount() {
        return active.get();
    }

    int maxActive() {
        return maxActive;
    }
}
