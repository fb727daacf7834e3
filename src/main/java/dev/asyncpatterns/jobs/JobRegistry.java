package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.web.BadRequestException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The task registry: asyncio's {@code create_task} (start at once, keep a reference),
 * {@code Task.cancel}, {@code await task} with a timeout, and {@code asyncio.timeout} around
 * each job. It bounds what it holds ({@code max-active} running, retention for finished) and,
 * as a {@link SmartLifecycle} stopping before the web server drains, shuts down gracefully:
 * refuse new jobs, give running ones the grace period, cancel the rest, log one summary.
 */
@Component
public class JobRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);
    /** Time the synchronous stop allows beyond the grace period for cancelling what is left. */
    private static final long STOP_MARGIN_MS = 5_000;

    private final Map<String, JobType<?>> types;
    private final JobParamsBinder binder;
    private final JobsProperties properties;
    private final MeterRegistry meters;
    private final List<JobAdmission> admissions;
    private final Clock clock = Clock.systemUTC();

    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    /** Terminal jobs in the order they finished, oldest first, for retention. */
    private final ConcurrentLinkedDeque<Job> finished = new ConcurrentLinkedDeque<>();
    private final AtomicInteger finishedCount = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    /** What each non-terminal job's admissions reserved, given back when it ends; at most max-active entries. */
    private final Map<JobId, Runnable> reservations = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Counter started;

    private volatile boolean accepting;
    private volatile boolean running;
    private volatile Sinks.Empty<Void> drained = Sinks.empty();
    private volatile Disposable retentionSweep = Disposables.disposed();

    JobRegistry(List<JobType<?>> types, JobParamsBinder binder, JobsProperties properties, MeterRegistry meters) {
        this(types, binder, properties, meters, List.of());
    }

    @Autowired
    JobRegistry(List<JobType<?>> types, JobParamsBinder binder, JobsProperties properties, MeterRegistry meters,
            ObjectProvider<JobAdmission> admissions) {
        this(types, binder, properties, meters, admissions.orderedStream().toList());
    }

    private JobRegistry(List<JobType<?>> types, JobParamsBinder binder, JobsProperties properties,
            MeterRegistry meters, List<JobAdmission> admissions) {
        this.admissions = admissions;
        this.types = types.stream().collect(Collectors.toMap(JobType::name, Function.identity(), (a, b) -> {
            throw new IllegalStateException("Two job types are named '" + a.name() + "'");
        }, TreeMap::new));
        this.binder = binder;
        this.properties = properties;
        this.meters = meters;
        this.started = Counter.builder("asyncpatterns.jobs.started").description("Jobs accepted and started")
            .register(meters);
        Gauge.builder("asyncpatterns.jobs.active", active, AtomicInteger::get)
            .description("Jobs not yet in a terminal state").register(meters);
    }

    /** Validates the request, admits the job against {@code max-active} and starts it at once, for no one. */
    public JobView submit(JobRequest request) {
        return submit(request, JobCaller.SYSTEM);
    }

    /**
     * Validates the request, admits the job against {@code max-active} and every {@link JobAdmission}
     * (per-caller quotas, which hold their reservation until the job ends), and starts it at once,
     * recording the caller as its creator.
     */
    public JobView submit(JobRequest request, JobCaller caller) {
        if (!accepting) {
            throw new ShuttingDownException();
        }
        return start(JobId.random(), request, checkParams(request), caller, clock.millis(), null);
    }

    /**
     * Binds and validates a request's params (400 naming the field) without starting anything: a
     * shared store checks a job this way before it stores it. Returns the bound params record.
     */
    public Object checkParams(JobRequest request) {
        return binder.bind(type(request.type()), request.params());
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
        if (!accepting) {
            throw new ShuttingDownException();
        }
        JobType<Object> type = type(request.type());
        if (active.incrementAndGet() > properties.maxActive()) {
            releaseSlot();
            throw new RegistryFullException(properties.maxActive(), properties.retryAfterSeconds());
        }
        Runnable reservation;
        try {
            reservation = admit(caller, type.name(), params);
        }
        catch (RuntimeException refused) {
            releaseSlot();
            throw refused;
        }
        long timeoutMs = request.timeoutMs() != null ? request.timeoutMs() : 0;
        Job job = new Job(id, sequence.incrementAndGet(), type.name(), request.name(), params, timeoutMs, createdAt,
                caller.name());
        reservations.put(job.id(), reservation);
        jobs.put(job.id(), job);
        if (!accepting) {
            // Shutdown began while this job was admitted: undo it rather than start work nobody drains.
            jobs.remove(job.id());
            releaseSlot(job);
            throw new ShuttingDownException();
        }
        started.increment();
        start(job, type, params, startedAt != null ? startedAt : clock.millis());
        return job.view();
    }

    /** The job, or 404. */
    public JobView get(String id) {
        return get(id, JobCaller.SYSTEM);
    }

    /** The job if the caller may see it, otherwise 404. */
    public JobView get(String id, JobCaller caller) {
        return find(id, caller).view();
    }

    /**
     * The job once it is terminal, or as it is after {@code waitMs} (capped by {@code max-wait-ms}),
     * whichever comes first: {@code await asyncio.wait_for(shield(task), waitMs)}.
     */
    public Mono<JobView> await(String id, long waitMs) {
        return await(id, waitMs, JobCaller.SYSTEM);
    }

    /** {@link #await(String, long)} of a job the caller may see; 404 otherwise. */
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        Job job = find(id, caller);
        Duration wait = Duration.ofMillis(Math.min(waitMs, properties.maxWaitMs()));
        if (wait.isZero()) {
            return Mono.just(job.view());
        }
        return job.awaitTerminal().timeout(wait, Mono.empty()).then(Mono.fromSupplier(job::view));
    }

    /** Jobs newest first, optionally only one state or type; {@code limit} bounded by {@code max-list-limit}. */
    public List<JobView> list(JobState state, String type, Integer limit) {
        return list(state, type, limit, JobCaller.SYSTEM);
    }

    /** {@link #list(JobState, String, Integer)} of the jobs the caller may see. */
    public List<JobView> list(JobState state, String type, Integer limit, JobCaller caller) {
        int max = limit != null ? limit : properties.defaultListLimit();
        if (max < 1 || max > properties.maxListLimit()) {
            throw new BadRequestException("limit", "must be between 1 and " + properties.maxListLimit());
        }
        if (type != null) {
            type(type);
        }
        evictExpired();
        return jobs.values().stream()
            .filter(caller::owns)
            .filter(job -> state == null || job.state() == state)
            .filter(job -> type == null || job.type().equals(type))
            .sorted(Comparator.comparingLong(Job::sequence).reversed())
            .limit(max)
            .map(Job::view)
            .toList();
    }

    /** {@code Task.cancel()}: the job becomes CANCELLED (409 if already terminal) and its work stops. */
    public JobView cancel(String id) {
        return cancel(id, JobCaller.SYSTEM);
    }

    /** {@link #cancel(String)} of a job the caller may see; 404 otherwise. */
    public JobView cancel(String id, JobCaller caller) {
        Job job = find(id, caller);
        if (!end(job, JobState.CANCELLED, null, null, CancelReason.USER)) {
            throw new IllegalJobTransitionException(job.id(), job.state(), JobState.CANCELLED);
        }
        return job.view();
    }

    /** Forgets a terminal job (409 while it still runs: cancel it first). */
    public void delete(String id) {
        delete(id, JobCaller.SYSTEM);
    }

    /** {@link #delete(String)} of a job the caller may see; 404 otherwise. */
    public void delete(String id, JobCaller caller) {
        Job job = find(id, caller);
        if (!job.state().isTerminal()) {
            throw new JobNotTerminalException(job.id(), job.state());
        }
        forget(job);
    }

    /** The job's {@code state} and {@code progress} events, ending after its terminal state; 404 if unknown. */
    public Flux<JobEvent> events(String id) {
        return events(id, JobCaller.SYSTEM);
    }

    /** {@link #events(String)} of a job the caller may see; 404 otherwise. */
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return find(id, caller).events();
    }

    /** The job as this process holds it (it ran here and was not forgotten yet), for any caller. */
    public Optional<JobView> local(String id) {
        return JobId.parse(id).map(jobs::get).map(Job::view);
    }

    /** Names of the job types this registry runs. */
    public List<String> typeNames() {
        return List.copyOf(types.keySet());
    }

    /** False once shutdown began: new jobs get 503 and the health component says OUT_OF_SERVICE. */
    public boolean isAccepting() {
        return accepting;
    }

    /** Jobs not yet terminal. */
    public int activeCount() {
        return active.get();
    }

    /** The configured bound on {@link #activeCount()}. */
    public int maxActive() {
        return properties.maxActive();
    }

    /** Another caller's job is not found, exactly like an unknown id, so ids reveal nothing. */
    private Job find(String id, JobCaller caller) {
        return JobId.parse(id).map(jobs::get).filter(caller::owns).orElseThrow(() -> new JobNotFoundException(id));
    }

    /**
     * Runs every admission; if one refuses, what the earlier ones reserved is given back before
     * the refusal propagates. Returns what gives back all of it.
     */
    private Runnable admit(JobCaller caller, String type, Object params) {
        List<Runnable> reserved = new ArrayList<>(admissions.size());
        try {
            for (JobAdmission admission : admissions) {
                reserved.add(admission.admit(caller, type, params));
            }
        }
        catch (RuntimeException refused) {
            reserved.forEach(Runnable::run);
            throw refused;
        }
        return () -> reserved.forEach(Runnable::run);
    }

    @SuppressWarnings("unchecked")
    private JobType<Object> type(String name) {
        JobType<?> type = types.get(name);
        if (type == null) {
            throw new BadRequestException("type", "unknown job type '" + name + "'; one of " + types.keySet());
        }
        return (JobType<Object>) type;
    }

    private void start(Job job, JobType<Object> type, Object params, long startedAt) {
        job.transition(JobState.RUNNING, startedAt, null, null, null);
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
            work = work.timeout(Duration.ofMillis(job.timeoutMs()), Mono.error(JobTimedOut.INSTANCE));
        }
        JobWork subscriber = new JobWork(job);
        job.attach(subscriber);
        work.subscribe(subscriber);
    }

    /**
     * Ends a job in a terminal state if it has none yet; the bookkeeping (slot, meters,
     * retention) runs only for the single call that wins. Returns whether this call won.
     */
    private boolean end(Job job, JobState state, Object result, JobError error, CancelReason reason) {
        long now = clock.millis();
        if (!job.transition(state, now, result, error, reason)) {
            return false;
        }
        Counter.builder("asyncpatterns.jobs.finished").description("Jobs that reached a terminal state")
            .tag("state", state.name()).tag("type", job.type()).register(meters).increment();
        Timer.builder("asyncpatterns.jobs.duration").description("Run time of jobs, start to terminal state")
            .tag("type", job.type()).register(meters)
            .record(Duration.ofMillis(Math.max(0, now - job.startedOrCreatedAt())));
        finished.add(job);
        finishedCount.incrementAndGet();
        releaseSlot(job);
        evictOverflow();
        return true;
    }

    private void releaseSlot(Job job) {
        Runnable reservation = reservations.remove(job.id());
        if (reservation != null) {
            reservation.run();
        }
        releaseSlot();
    }

    private void releaseSlot() {
        if (active.decrementAndGet() == 0 && !accepting) {
            drained.tryEmitEmpty();
        }
    }

    private void forget(Job job) {
        jobs.remove(job.id());
        if (finished.remove(job)) {
            finishedCount.decrementAndGet();
        }
    }

    private void evictOverflow() {
        while (finishedCount.get() > properties.retention().maxCount()) {
            if (!evictOldest()) {
                return;
            }
        }
    }

    private void evictExpired() {
        long cutoff = clock.millis() - properties.retention().maxAgeMs();
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

    @Override
    public void start() {
        drained = Sinks.empty();
        long sweepMs = Math.max(10, Math.min(1000, properties.retention().maxAgeMs()));
        retentionSweep = Flux.interval(Duration.ofMillis(sweepMs)).subscribe(tick -> evictExpired());
        accepting = true;
        running = true;
    }

    /**
     * The synchronous variant, for callers outside the lifecycle processor (which uses
     * {@link #stop(Runnable)}): the same drain, awaited on the calling thread.
     */
    @Override
    public void stop() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            if (!stopped.await(properties.shutdownGraceMs() + STOP_MARGIN_MS, TimeUnit.MILLISECONDS)) {
                log.warn("Job registry did not finish stopping within its grace period");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drains without blocking the closing thread: refuse new jobs, wait up to the grace period
     * for running ones, cancel the rest with reason SHUTDOWN (which also ends their event
     * streams), log the counts, then let the context continue to the web server's drain.
     */
    @Override
    public void stop(Runnable callback) {
        accepting = false;
        retentionSweep.dispose();
        int runningAtStop = active.get();
        if (runningAtStop == 0) {
            drained.tryEmitEmpty();
        }
        drained.asMono()
            .timeout(properties.shutdownGrace(), Mono.empty())
            .doFinally(signal -> {
                int cancelled = 0;
                for (Job job : jobs.values()) {
                    if (end(job, JobState.CANCELLED, null, null, CancelReason.SHUTDOWN)) {
                        cancelled++;
                    }
                }
                log.info("Job registry stopped: {} running jobs at shutdown, {} finished within the {} ms grace period, {} cancelled",
                        runningAtStop, Math.max(0, runningAtStop - cancelled), properties.shutdownGraceMs(), cancelled);
                running = false;
                callback.run();
            })
            .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
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

    /** The registry's own timeout signal; carries no stack trace because it is never logged. */
    private static final class JobTimedOut extends RuntimeException {

        static final JobTimedOut INSTANCE = new JobTimedOut();

        private JobTimedOut() {
            super("job timed out", null, false, false);
        }
    }
}
