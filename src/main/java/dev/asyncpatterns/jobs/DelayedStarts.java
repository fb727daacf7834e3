package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * {@code loop.call_at} and {@code loop.call_later} for whole jobs: a job with a start time waits
 * SCHEDULED on one shared timer (the scheduler's single delay queue; no thread or poll per job),
 * becomes PENDING when due, and starts as soon as the registry admits it. A due job the registry
 * cannot admit yet (full, or its caller's quota used up) waits in arrival order and is offered
 * again whenever a job ends. At most {@code max-scheduled} jobs wait here, scheduled or due.
 *
 * <p>Cancelling a waiting job disposes its timer through the job's work handle, so it never starts.
 */
final class DelayedStarts {

    private static final Runnable NOTHING = () -> { };

    private final Supplier<Scheduler> timer;
    private final Clock clock;
    private final int maxScheduled;
    private final int retryAfterSeconds;
    private final AdmissionControl admission;
    private final JobRunner runner;
    private final JobMetrics metrics;
    /** Every job waiting here, scheduled or due; its size is {@link #count}. */
    private final Map<JobId, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Due jobs not admitted yet, oldest due first. */
    private final Queue<Waiting> due = new ConcurrentLinkedQueue<>();
    /** Serialises {@link #drain()}: a call while one runs asks it to go round once more. */
    private final AtomicInteger draining = new AtomicInteger();

    /**
     * @param timer the scheduler whose delay queue times the starts, looked up at each schedule:
     *              Reactor disposes its cached schedulers when their factory is replaced (as
     *              virtual-time tests do), so a reference kept from construction could go dead
     */
    DelayedStarts(Supplier<Scheduler> timer, Clock clock, int maxScheduled, int retryAfterSeconds, AdmissionControl admission,
            JobRunner runner, JobMetrics metrics) {
        this.timer = timer;
        this.clock = clock;
        this.maxScheduled = maxScheduled;
        this.retryAfterSeconds = retryAfterSeconds;
        this.admission = admission;
        this.runner = runner;
        this.metrics = metrics;
    }

    /**
     * Holds a SCHEDULED job until its due time, or throws {@link RegistryFullException} (429) when
     * {@code max-scheduled} jobs already wait; {@code register} makes the job visible before its timer can fire.
     */
    void schedule(Job job, JobType<Object> type, JobCaller caller, Runnable register) {
        reserve();
        Waiting start = new Waiting(job, type, caller);
        waiting.put(job.id(), start);
        register.run();
        arm(start);
    }

    /**
     * Holds a job again for a later attempt once {@code move} made it SCHEDULED (a retry, a
     * requeue); false, holding nothing, if {@code move} did not. Throws {@link RegistryFullException}
     * (429) when {@code max-scheduled} jobs already wait, before anything moved.
     */
    boolean scheduleAgain(Job job, JobType<Object> type, JobCaller caller, BooleanSupplier move) {
        reserve();
        Waiting start = new Waiting(job, type, caller);
        // Held before it moves: a cancel right after the move finds it here and takes it out.
        waiting.put(job.id(), start);
        if (!move.getAsBoolean()) {
            if (waiting.remove(job.id(), start)) {
                count.decrementAndGet();
            }
            return false;
        }
        arm(start);
        if (!due.isEmpty()) {
            // The attempt gave back its slot: a due job may take it.
            drain();
        }
        return true;
    }

    private void reserve() {
        if (count.incrementAndGet() > maxScheduled) {
            count.decrementAndGet();
            throw RegistryFullException.scheduled(maxScheduled, retryAfterSeconds);
        }
    }

    private void arm(Waiting start) {
        Job job = start.job;
        // The job holds the swap, not the timer: if the timer fires and the job starts before the
        // timer is stored, the job's work handle is already its running work and must stay so.
        Disposable.Swap slot = Disposables.swap();
        job.attach(slot);
        long delay = Math.max(0, job.dueAt() - clock.millis());
        slot.update(timer.get().schedule(() -> becameDue(start), delay, TimeUnit.MILLISECONDS));
    }

    /** A job ended: if it waited here it leaves (a cancel), and its freed slot may start a due one. */
    void ended(Job job) {
        Waiting start = waiting.remove(job.id());
        if (start != null) {
            count.decrementAndGet();
            due.remove(start);
        }
        if (!due.isEmpty()) {
            drain();
        }
    }

    /** Jobs waiting for their start time or, once due, for a slot. */
    int count() {
        return count.get();
    }

    private void becameDue(Waiting start) {
        if (start.job.transition(JobState.PENDING, clock.millis(), null, null, null, NOTHING)) {
            due.add(start);
            drain();
        }
    }

    /** Starts due jobs in order while the registry admits them; one caller's used-up quota does not hold up others. */
    private void drain() {
        if (draining.getAndIncrement() != 0) {
            return;
        }
        do {
            if (admission.isOpen()) {
                startAdmitted();
            }
        }
        while (draining.decrementAndGet() != 0);
    }

    private void startAdmitted() {
        for (Iterator<Waiting> it = due.iterator(); it.hasNext();) {
            Waiting start = it.next();
            Job job = start.job;
            if (job.state().isTerminal()) {
                it.remove();
                continue;
            }
            try {
                admission.admit(job.id(), start.caller, start.type.cost(job.params()));
            }
            catch (RegistryFullException full) {
                return;
            }
            catch (RuntimeException quotaUsedUp) {
                continue;
            }
            it.remove();
            if (waiting.remove(job.id(), start)) {
                count.decrementAndGet();
            }
            if (job.state().isTerminal()) {
                // Cancelled between the check and the admission: its end gave back nothing of this slot.
                admission.release(job.id());
                continue;
            }
            long now = clock.millis();
            metrics.startedLate(Duration.ofMillis(Math.max(0, now - job.dueAt())));
            runner.run(job, start.type, job.params(), now);
        }
    }

    /** What a waiting job needs to start: its type, and the caller its admission is charged to. */
    private record Waiting(Job job, JobType<Object> type, JobCaller caller) {
    }
}
