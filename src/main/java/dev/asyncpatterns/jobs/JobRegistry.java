package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.callbacks.Callback;
import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.runtime.LoopTimers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task registry: asyncio's {@code create_task} (start at once, keep a reference),
 * {@code Task.cancel}, {@code await task} with a timeout, and {@code asyncio.timeout} around
 * each job. It bounds what it holds ({@code max-active} running, retention for finished) and,
 * as a {@link SmartLifecycle} stopping before the web server drains, shuts down gracefully:
 * refuse new jobs, give running ones the grace period, cancel the rest, log one summary.
 *
 * <p>This class holds the jobs and wires its parts, each with one reason to change:
 * {@link JobTypes} (which types and params), {@link AdmissionControl} (who may start a job),
 * {@link JobRunner} (running and ending one), {@link DelayedStarts} (jobs that start later),
 * {@link JobRetention} (how long finished jobs stay),
 * {@link JobQueries} (what a caller sees), {@link JobMetrics}, {@link RegistryShutdown} and
 * {@link JobCallbacks} (the job JSON to a callback URL when a job ends).
 */
@Component
public class JobRegistry implements SmartLifecycle {

    private final Clock clock = Clock.systemUTC();
    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    /** Creation order, for listing newest first. */
    private final AtomicLong sequence = new AtomicLong();
    private final JobTypes types;
    private final AdmissionControl admission;
    private final JobRetention retention;
    private final JobRunner runner;
    private final DelayedStarts delayed;
    private final JobRetries retries;
    private final JobMetrics metrics;
    private final JobQueries queries;
    private final RegistryShutdown shutdown;
    private final JobCallbacks callbacks;

    /**
     * @param admissions the per-caller admissions (quotas), run in their order before every job starts
     * @param deliveries where the callbacks of ended jobs go
     * @param timers where a job's timeout is timed: on the event loop that started the job, if one did
     */
    JobRegistry(List<JobType<?>> types, JobParamsBinder binder, JobsProperties properties, MeterRegistry meters,
            ObjectProvider<JobAdmission> admissions, CallbackDeliveries deliveries, JsonMapper mapper, LoopTimers timers) {
        this.types = new JobTypes(types, binder);
        this.admission = new AdmissionControl(properties.maxActive(), properties.retryAfterSeconds(),
                admissions.orderedStream().toList());
        this.retention = new JobRetention(properties.retention(), jobs, clock);
        JobMetrics metrics = new JobMetrics(meters, admission);
        // The runner asks the retries, which need the delayed starts, which need the runner: resolved at first use.
        this.runner = new JobRunner(clock, admission, retention, metrics, this::ended, this::retryLater, timers::current);
        // The shared single scheduler: one delay queue (and one thread) times every delayed job.
        this.metrics = metrics;
        this.delayed = new DelayedStarts(Schedulers::single, clock, properties.maxScheduled(),
                properties.retryAfterSeconds(), admission, runner, metrics);
        metrics.scheduled(delayed, DelayedStarts::count);
        this.retries = new JobRetries(clock, () -> ThreadLocalRandom.current().nextDouble(), admission, delayed, retention,
                metrics);
        this.queries = new JobQueries(jobs, this.types, retention, properties);
        this.shutdown = new RegistryShutdown(admission, retention, runner, jobs.values(), properties);
        this.callbacks = new JobCallbacks(deliveries, mapper);
    }

    /**
     * Validates the request, admits the job against {@code max-active} and every {@link JobAdmission}
     * (per-caller quotas, which hold their reservation until the job ends), and starts it at once,
     * recording the caller as its creator. A request with {@code runAt} or {@code delayMs} is held
     * SCHEDULED instead (bounded by {@code max-scheduled}) and admitted like this when it is due.
     */
    public JobView submit(JobRequest request, JobCaller caller) {
        return submit(request, caller, null);
    }

    /**
     * {@link #submit(JobRequest, JobCaller)} for a schedule: the job carries {@code scheduleId}
     * (null: started by no schedule).
     */
    public JobView submit(JobRequest request, JobCaller caller, String scheduleId) {
        if (!admission.isOpen()) {
            throw new ShuttingDownException();
        }
        Object params = checkParams(request);
        RetryPolicy retry = request.retryPolicy();
        long now = clock.millis();
        OptionalLong dueAt = StartTime.dueAt(request, now);
        if (dueAt.isEmpty()) {
            return start(JobId.random(), request, params, caller, now, null, retry, scheduleId);
        }
        JobType<Object> type = types.get(request.type());
        Job job = newJob(JobId.random(), type, request, params, now, caller, dueAt.getAsLong(), retry);
        job.scheduleId(scheduleId);
        job.callback(callbacks.accept(job.id(), request));
        delayed.schedule(job, type, caller, () -> jobs.put(job.id(), job));
        if (!admission.isOpen()) {
            // Shutdown began meanwhile and may have cancelled what it saw already: this one must not outlive it.
            runner.cancel(job, CancelReason.SHUTDOWN);
            retention.forget(job);
            throw new ShuttingDownException();
        }
        return job.view();
    }

    /**
     * Binds and validates a request's params (400 naming the field) without starting anything: a
     * shared store checks a job this way before it stores it. Returns the bound params record.
     */
    public Object checkParams(JobRequest request) {
        return types.bind(request);
    }

    /**
     * Starts a job whose identity a shared store already gave it (a job claimed from the
     * database): admitted and run exactly like {@link #submit(JobRequest, JobCaller)}.
     *
     * @param params the request's params as {@link #checkParams(JobRequest)} bound them (the store
     *               binds them once, before it stores the job)
     * @param createdAt when the job was first submitted, epoch millis
     * @param startedAt when the store recorded the job as started, epoch millis, so this view and
     *                  the store's row show the same start; null: now, as it starts here
     */
    public JobView start(JobId id, JobRequest request, Object params, JobCaller caller, long createdAt,
            Long startedAt) {
        return start(id, request, params, caller, createdAt, startedAt, (String) null);
    }

    /** {@link #start(JobId, JobRequest, Object, JobCaller, long, Long)} of a job the schedule {@code scheduleId} started. */
    public JobView start(JobId id, JobRequest request, Object params, JobCaller caller, long createdAt,
            Long startedAt, String scheduleId) {
        // A shared store keeps a job's attempts in its row and retries through it: here it is one attempt.
        return start(id, request, params, caller, createdAt, startedAt, null, scheduleId);
    }

    private JobView start(JobId id, JobRequest request, Object params, JobCaller caller, long createdAt,
            Long startedAt, RetryPolicy retry, String scheduleId) {
        if (!admission.isOpen()) {
            throw new ShuttingDownException();
        }
        JobType<Object> type = types.get(request.type());
        Callback callback = callbacks.accept(id, request);
        admission.admit(id, caller, type.cost(params));
        Job job = newJob(id, type, request, params, createdAt, caller, Job.UNSET, retry);
        job.callback(callback);
        job.scheduleId(scheduleId);
        jobs.put(job.id(), job);
        if (!admission.isOpen()) {
            // Shutdown began while this job was admitted: undo it rather than start work nobody drains.
            jobs.remove(job.id());
            admission.release(job.id());
            throw new ShuttingDownException();
        }
        runner.run(job, type, params, startedAt != null ? startedAt : clock.millis());
        return job.view();
    }

    private Job newJob(JobId id, JobType<Object> type, JobRequest request, Object params, long createdAt,
            JobCaller caller, long dueAt, RetryPolicy retry) {
        long timeoutMs = request.timeoutMs() != null ? request.timeoutMs() : 0;
        Job job = new Job(id, sequence.incrementAndGet(), type.name(), request.name(), params, timeoutMs, createdAt,
                caller.name(), dueAt);
        if (retry != null) {
            job.retriedBy(new Attempts(retry, type, caller));
        }
        return job;
    }

    private boolean retryLater(Job job, JobState outcome, JobError error) {
        return retries.retryLater(job, outcome, error);
    }

    /** A job ended: its slot may start a due job waiting for one, and its callback is sent. */
    private void ended(Job job) {
        delayed.ended(job);
        callbacks.ended(job);
    }

    /**
     * Records how late a due job started: for a shared store, whose due jobs wait in the database
     * and start here through {@link #start}.
     */
    public void startedLate(Duration late) {
        metrics.startedLate(late);
    }

    /** Counts a retry a shared store scheduled (an attempt that runs again, or a requeue) in {@code asyncpatterns.jobs.retries}. */
    public void retried() {
        metrics.retried();
    }

    /** The job if the caller may see it, otherwise 404. */
    public JobView get(String id, JobCaller caller) {
        return queries.find(id, caller).view();
    }

    /**
     * The job once it is terminal, or as it is after {@code waitMs} (capped by {@code max-wait}),
     * whichever comes first, if the caller may see it; 404 otherwise.
     */
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        return queries.await(id, waitMs, caller);
    }

    /**
     * The jobs the caller may see, newest first, optionally only one state or type; {@code limit}
     * bounded by {@code max-list-limit}.
     */
    public List<JobView> list(JobState state, String type, Integer limit, JobCaller caller) {
        return queries.list(state, type, limit, caller);
    }

    /**
     * {@code Task.cancel()} of a job the caller may see (404 otherwise): the job becomes CANCELLED
     * (409 if already terminal) and its work stops.
     */
    public JobView cancel(String id, JobCaller caller) {
        Job job = queries.find(id, caller);
        if (!runner.cancel(job, CancelReason.USER)) {
            throw new IllegalJobTransitionException(job.id(), job.state(), JobState.CANCELLED);
        }
        return job.view();
    }

    /**
     * A dead-letter requeue of a job the caller may see (404 otherwise): a FAILED, TIMED_OUT or
     * CANCELLED job runs once more as a new attempt (409 in any other state), SCHEDULED until
     * admitted. Its policy grants no new backoff: if this attempt fails, that is final.
     */
    public JobView retry(String id, JobCaller caller) {
        Job job = queries.find(id, caller);
        retries.requeue(job, types.get(job.type()), caller);
        return job.view();
    }

    /**
     * Sends the callback of a terminal job the caller may see again (404 for an unknown job or one
     * without a callback, 409 while it has not ended); the job as it is.
     */
    public JobView redeliverCallback(String id, JobCaller caller) {
        Job job = queries.find(id, caller);
        callbacks.redeliver(job);
        return job.view();
    }

    /** Forgets a terminal job the caller may see (404 otherwise; 409 while it still runs: cancel it first). */
    public void delete(String id, JobCaller caller) {
        Job job = queries.find(id, caller);
        if (!job.state().isTerminal()) {
            throw new JobNotTerminalException(job.id(), job.state());
        }
        retention.forget(job);
    }

    /**
     * The {@code state} and {@code progress} events of a job the caller may see (404 otherwise),
     * ending after its terminal state.
     */
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return queries.find(id, caller).events();
    }

    /** The job as this process holds it (it ran here and was not forgotten yet), for any caller. */
    public Optional<JobView> local(String id) {
        return queries.local(id);
    }

    /** Names of the job types this registry runs. */
    public List<String> typeNames() {
        return types.names();
    }

    /** False once shutdown began: new jobs get 503 and the health component says OUT_OF_SERVICE. */
    public boolean isAccepting() {
        return admission.isOpen();
    }

    /** Jobs not yet terminal. */
    public int activeCount() {
        return admission.activeCount();
    }

    /** The configured bound on {@link #activeCount()}. */
    public int maxActive() {
        return admission.maxActive();
    }

    @Override
    public void start() {
        shutdown.start();
    }

    /**
     * The synchronous variant, for callers outside the lifecycle processor (which uses
     * {@link #stop(Runnable)}): the same drain, awaited on the calling thread.
     */
    @Override
    public void stop() {
        shutdown.stopAndWait();
    }

    /** Drains without blocking the closing thread; see {@link RegistryShutdown}. */
    @Override
    public void stop(Runnable callback) {
        shutdown.stop(callback);
    }

    @Override
    public boolean isRunning() {
        return shutdown.isRunning();
    }
}
