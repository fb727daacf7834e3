package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs a job's work and ends it: {@code create_task} with {@code asyncio.timeout} around it, and
 * the one way a job reaches a terminal state, whoever asks (its work completing or failing, its
 * timeout, a cancel, shutdown). Only the call that wins the job's transition does the
 * bookkeeping: meters, retention, and giving back its admission.
 */
final class JobRunner {

    private static final Runnable NOTHING = () -> { };

    private final Clock clock;
    private final AdmissionControl admission;
    private final JobRetention retention;
    private final JobMetrics metrics;
    private final Consumer<Job> ended;
    private final Retrying retrying;
    private final Supplier<Scheduler> timers;

    /**
     * @param ended hears every job that reached its terminal state, once its slot is given back
     *              (delayed starts waiting for a slot take it from there)
     * @param retrying asked first when an attempt fails or times out: a job that retries waits for
     *                 its next attempt instead of ending
     * @param timers the scheduler of a job's timeout, asked on the thread that starts the job (the
     *               event loop that took the request keeps the timer: {@code LoopTimers})
     */
    JobRunner(Clock clock, AdmissionControl admission, JobRetention retention, JobMetrics metrics,
            Consumer<Job> ended, Retrying retrying, Supplier<Scheduler> timers) {
        this.clock = clock;
        this.admission = admission;
        this.retention = retention;
        this.metrics = metrics;
        this.ended = ended;
        this.retrying = retrying;
        this.timers = timers;
    }

    /**
     * Moves an admitted job to RUNNING at {@code startedAt} and subscribes to its work, bounded by
     * the job's timeout; a type that throws instead of returning its work fails the job at once.
     */
    void run(Job job, JobType<Object> type, Object params, long startedAt) {
        metrics.started();
        job.transition(JobState.RUNNING, startedAt, null, null, null, NOTHING);
        Mono<?> work;
        try {
            work = type.run(params, job);
        }
        catch (RuntimeException ex) {
            end(job, JobState.FAILED, null, JobError.of(ex), null);
            return;
        }
        if (job.timeoutMs() > 0) {
            // Our own signal, so a TimeoutException raised by the work itself stays a FAILED job.
            work = work.timeout(Duration.ofMillis(job.timeoutMs()), Mono.error(JobTimedOut.INSTANCE), timers.get());
        }
        JobWork subscriber = new JobWork(job);
        job.attach(subscriber);
        work.subscribe(subscriber);
    }

    /** Cancels the job (its work stops) if it has no terminal state yet; returns whether this call did. */
    boolean cancel(Job job, CancelReason reason) {
        return end(job, JobState.CANCELLED, null, null, reason);
    }

    /**
     * Ends a job in a terminal state if it has none yet; the bookkeeping runs only for the single
     * call that wins. Returns whether this call won.
     */
    private boolean end(Job job, JobState state, Object result, JobError error, CancelReason reason) {
        if (reason == null && state != JobState.SUCCEEDED && retrying.retryLater(job, state, error)) {
            return true;
        }
        long now = clock.millis();
        boolean won = job.transition(state, now, result, error, reason, () -> {
            metrics.finished(job, state, now);
            admission.release(job.id());
        });
        if (!won) {
            return false;
        }
        retention.finished(job);
        ended.accept(job);
        return true;
    }

    /** Runs one job's work and records its outcome; disposing it cancels the work. */
    private final class JobWork extends BaseSubscriber<Object> {

        private final Job job;
        private Object value;

        JobWork(Job job) {
            this.job = job;
        }

        @Override
        protected void hookOnNext(Object next) {
            value = next;
        }

        @Override
        protected void hookOnComplete() {
            end(job, JobState.SUCCEEDED, value, null, null);
        }

        @Override
        protected void hookOnError(Throwable failure) {
            if (failure == JobTimedOut.INSTANCE) {
                end(job, JobState.TIMED_OUT, null, null, null);
            }
            else {
                end(job, JobState.FAILED, null, JobError.of(failure), null);
            }
        }
    }

    /** Decides whether an attempt that ended in {@code outcome} is retried (see {@link JobRetries}). */
    @FunctionalInterface
    interface Retrying {

        boolean retryLater(Job job, JobState outcome, JobError error);
    }

    /** The runner's own timeout signal; carries no stack trace because it is never logged. */
    private static final class JobTimedOut extends RuntimeException {

        static final JobTimedOut INSTANCE = new JobTimedOut();

        private JobTimedOut() {
            super("job timed out", null, false, false);
        }
    }
}
