package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.time.Instant;

import dev.asyncpatterns.callbacks.Callback;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One task in the registry and its mutable state. Kept deliberately small (plain longs for
 * instants, no per-job thread, no event buffer) because 100,000 running timers must fit a
 * 512 MiB heap: the event sink exists only while someone listens or awaits the job.
 *
 * <p>{@link #transition} is the one place the state changes; it consults {@link JobState}'s
 * table under the job's monitor, so cancel, completion and timeout racing each other produce
 * exactly one terminal state. No callback runs under the monitor.
 */
final class Job implements JobContext {

    /** An instant not reached (yet), and the {@code dueAt} of a job that starts at once. */
    static final long UNSET = Long.MIN_VALUE;

    private final JobId id;
    private final long sequence;
    private final String type;
    private final String name;
    private final Object params;
    private final long timeoutMs;
    private final long createdAt;
    private final String createdBy;
    /** When a delayed job (or its next attempt) is due, epoch millis; {@link #UNSET} for a job that starts at once. */
    private volatile long dueAt;
    /** Its attempts, for a job that retries; null for every other job, which keeps it small. */
    private volatile Attempts attempts;

    private volatile long startedAt = UNSET;
    private volatile long finishedAt = UNSET;
    private volatile JobState state;
    private volatile long completed;
    private volatile long total;
    private volatile Object result;
    private volatile JobError error;
    private volatile CancelReason cancelReason;

    /** Where the job JSON goes when the job ends (API.md §12); null for a job without a callback. */
    private volatile Callback callback;
    /** The schedule that started the job (section 11); null for every other job. */
    private volatile String scheduleId;

    /** The running work; released (and disposed) on the terminal transition. Guarded by this. */
    private Disposable work;
    /** Live events for listeners and awaiters; created lazily, completed and dropped on the terminal state. */
    private Sinks.Many<JobEvent> events;

    /** A job that starts at once: PENDING until the registry runs it. */
    Job(JobId id, long sequence, String type, String name, Object params, long timeoutMs, long createdAt,
            String createdBy) {
        this(id, sequence, type, name, params, timeoutMs, createdAt, createdBy, UNSET);
    }

    /** A job that waits SCHEDULED until {@code dueAt} (epoch millis), or starts PENDING when it is {@link #UNSET}. */
    Job(JobId id, long sequence, String type, String name, Object params, long timeoutMs, long createdAt,
            String createdBy, long dueAt) {
        this.id = id;
        this.sequence = sequence;
        this.type = type;
        this.name = name;
        this.params = params;
        this.timeoutMs = timeoutMs;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.dueAt = dueAt;
        this.state = dueAt == UNSET ? JobState.PENDING : JobState.SCHEDULED;
    }

    /**
     * Moves the job to {@code target} if the transition table allows it, recording when and with
     * what outcome; returns false (and changes nothing) otherwise. Entering a terminal state
     * completes the live events and disposes the work, which stops it where it stood.
     * {@code beforeAnnounced} runs once the move is made, before anyone awaiting the job hears of
     * it: a caller who awaited a job's end and submits again must find its slot and quota free.
     */
    boolean transition(JobState target, long now, Object outcome, JobError failure, CancelReason reason,
            Runnable beforeAnnounced) {
        Sinks.Many<JobEvent> listeners;
        Disposable running = null;
        synchronized (this) {
            if (!state.canMoveTo(target)) {
                return false;
            }
            if (target == JobState.RUNNING) {
                startedAt = now;
                if (attempts != null) {
                    attempts.started();
                }
            }
            if (target.isTerminal() && state == JobState.RUNNING && attempts != null) {
                attempts.ended(target, failure, startedAt, now);
            }
            if (target.isTerminal()) {
                finishedAt = now;
                result = outcome;
                error = failure;
                cancelReason = reason;
                running = work;
                work = null;
            }
            state = target;
            listeners = events;
            if (target.isTerminal()) {
                events = null;
            }
        }
        announce(running, listeners, target.isTerminal(), beforeAnnounced);
        return true;
    }

    /**
     * Ends the running attempt in {@code outcome} and waits SCHEDULED for the next, due at
     * {@code nextDueAt}: its work is disposed and listeners hear the SCHEDULED state. False (and
     * nothing changes) if the job no longer runs, say because a cancel won.
     */
    boolean retryAt(long nextDueAt, JobState outcome, JobError failure, long now, Runnable beforeAnnounced) {
        Sinks.Many<JobEvent> listeners;
        Disposable running;
        synchronized (this) {
            if (state != JobState.RUNNING) {
                return false;
            }
            attempts.ended(outcome, failure, startedAt, now);
            dueAt = nextDueAt;
            running = work;
            work = null;
            state = JobState.SCHEDULED;
            listeners = events;
        }
        announce(running, listeners, false, beforeAnnounced);
        return true;
    }

    /**
     * A dead-letter requeue: a FAILED, TIMED_OUT or CANCELLED job waits SCHEDULED again, due now,
     * its outcome cleared, for one more attempt. False if the job is in any other state.
     */
    synchronized boolean reopen(long now, Attempts history) {
        if (state != JobState.FAILED && state != JobState.TIMED_OUT && state != JobState.CANCELLED) {
            return false;
        }
        if (attempts == null) {
            if (startedAt != UNSET) {
                history.started();
                history.ended(state, error, startedAt, finishedAt);
            }
            attempts = history;
        }
        attempts.requeued();
        dueAt = now;
        finishedAt = UNSET;
        result = null;
        error = null;
        cancelReason = null;
        completed = 0;
        total = 0;
        state = JobState.SCHEDULED;
        return true;
    }

    /** Stops the work a move ended, then tells who waits: the end before anyone hears of it. */
    private void announce(Disposable running, Sinks.Many<JobEvent> listeners, boolean terminal,
            Runnable beforeAnnounced) {
        if (running != null) {
            running.dispose();
        }
        beforeAnnounced.run();
        if (listeners != null) {
            if (terminal) {
                listeners.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
            }
            else {
                listeners.tryEmitNext(stateEvent());
            }
        }
    }

    /** Gives a job that retries its attempts, before anyone can see it. */
    void retriedBy(Attempts history) {
        this.attempts = history;
    }

    /** Its attempts if it retries, null otherwise. */
    Attempts attempts() {
        return attempts;
    }

    /** Hands the job its running work; work attached after the job ended is disposed at once. */
    void attach(Disposable running) {
        synchronized (this) {
            if (!state.isTerminal()) {
                work = running;
                return;
            }
        }
        running.dispose();
    }

    @Override
    public String jobId() {
        return id.toString();
    }

    @Override
    public void progress(long completedSteps, long totalSteps) {
        if (state.isTerminal()) {
            return;
        }
        this.completed = completedSteps;
        this.total = totalSteps;
        Sinks.Many<JobEvent> listeners = events;
        if (listeners != null) {
            // Best effort: a progress event lost to a concurrent emission is superseded by the next one.
            listeners.tryEmitNext(progressEvent());
        }
    }

    /**
     * The job's events: its current state and progress, then every change, then the terminal
     * state, after which the stream completes.
     */
    Flux<JobEvent> events() {
        return Flux.defer(() -> {
            Sinks.Many<JobEvent> listeners = listen();
            Flux<JobEvent> now = Flux.just(stateEvent(), progressEvent());
            if (listeners == null) {
                return now;
            }
            return now.concatWith(listeners.asFlux()).concatWith(Mono.fromSupplier(this::stateEvent));
        });
    }

    /** Completes when the job reaches a terminal state (at once if it already has). */
    Mono<Void> awaitTerminal() {
        return Mono.defer(() -> {
            Sinks.Many<JobEvent> listeners = listen();
            return listeners == null ? Mono.empty() : listeners.asFlux().then();
        });
    }

    private synchronized Sinks.Many<JobEvent> listen() {
        if (events == null && !state.isTerminal()) {
            events = Sinks.many().multicast().directBestEffort();
        }
        return events;
    }

    JobEvent stateEvent() {
        return new JobEvent(JobEvent.STATE, view());
    }

    JobEvent progressEvent() {
        return new JobEvent(JobEvent.PROGRESS, progressView());
    }

    JobView view() {
        JobView plain = new JobView(id, type, name, state, params, timeoutMs > 0 ? timeoutMs : null, progressView(),
                result, error, cancelReason, instant(createdAt), instant(startedAt), instant(finishedAt), createdBy, null,
                null, state == JobState.SCHEDULED ? instant(dueAt) : null);
        Attempts history = attempts;
        JobView view = history == null ? plain : history.view(plain);
        Callback notify = callback;
        JobView told = notify == null ? view : view.withCallback(notify.view());
        String schedule = scheduleId;
        return schedule == null ? told : told.scheduledBy(schedule);
    }

    private JobView.Progress progressView() {
        long knownTotal = total;
        return new JobView.Progress(completed, knownTotal > 0 ? knownTotal : null);
    }

    private static Instant instant(long epochMillis) {
        return epochMillis == UNSET ? null : Instant.ofEpochMilli(epochMillis);
    }

    JobId id() {
        return id;
    }

    Callback callback() {
        return callback;
    }

    /** Set once, before the job is scheduled or runs; null for none. */
    void callback(Callback target) {
        this.callback = target;
    }

    /** Set once, before the job is scheduled or runs; null for a job no schedule started. */
    void scheduleId(String schedule) {
        this.scheduleId = schedule;
    }

    String createdBy() {
        return createdBy;
    }

    long sequence() {
        return sequence;
    }

    String type() {
        return type;
    }

    Object params() {
        return params;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    JobState state() {
        return state;
    }

    CancelReason cancelReason() {
        return cancelReason;
    }

    long startedOrCreatedAt() {
        long started = startedAt;
        return started == UNSET ? createdAt : started;
    }

    long dueAt() {
        return dueAt;
    }

    long finishedAt() {
        return finishedAt;
    }
}
