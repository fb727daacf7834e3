package dev.asyncpatterns.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.asyncpatterns.jobs.IllegalJobTransitionException;
import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobNotFoundException;
import dev.asyncpatterns.jobs.JobNotTerminalException;
import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobStore;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.JobsProperties;
import dev.asyncpatterns.jobs.RegistryFullException;
import dev.asyncpatterns.jobs.ShuttingDownException;
import dev.asyncpatterns.web.BadRequestException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code asyncpatterns.store=postgres}: jobs are rows every instance reads; each instance runs
 * the jobs it claimed in its own {@link JobRegistry} (the one state machine) and mirrors their
 * progress and end into the row.
 *
 * <ul>
 * <li>Submit stores the row; if this instance has a free slot the job is claimed and started
 * at once (no poll delay), otherwise it stays {@code PENDING} and a {@code NOTIFY} wakes the
 * others, which claim with {@code FOR UPDATE SKIP LOCKED} up to their free slots.</li>
 * <li>Reads come from the row, or from the registry for a job running here (fresher). Waiting
 * and event streams on other instances follow {@code NOTIFY}s, with a one-second re-read as the
 * fallback.</li>
 * <li>Cancel of a job running elsewhere sets {@code cancel_requested} and notifies in one
 * statement; the owner cancels it locally, or at its next heartbeat if the notification was lost.</li>
 * <li>A heartbeat renews the leases of the jobs running here; any instance's reaper turns expired
 * leases into {@code INSTANCE_LOST} failures or re-runs, enforces {@code timeoutMs} and retention.</li>
 * <li>Stopping (before the registry drains) stops claiming and hands RERUN jobs back.</li>
 * </ul>
 */
class PostgresJobStore implements JobStore, SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PostgresJobStore.class);
    /** Jobs whose progress reaches the row at most this often. */
    private static final long PROGRESS_WRITE_MS = 100;
    /**
     * Most jobs one claim query takes; their slots stay reserved while it runs, so a small batch
     * leaves the others free for submits arriving meanwhile (the local fast path).
     */
    private static final int CLAIM_BATCH = 16;
    /** How often an instance looks for PENDING jobs when no notification said so. */
    private static final Duration CLAIM_POLL = Duration.ofSeconds(1);
    /** How often a remote waiter re-reads the row when no notification arrived. */
    private static final Duration WATCH_POLL = Duration.ofSeconds(1);
    /** How long a cancel of a job running elsewhere waits for the owner to confirm. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    /** Most rows one group-committed insert or finish statement carries. */
    private static final int WRITE_BATCH = 256;
    /** Statements of each kind at a time: together well inside the connection pool (default 10). */
    private static final int WRITES_IN_FLIGHT = 3;
    /** Writes of each kind waiting for a statement; past it the database counts as not keeping up (503). */
    private static final int WRITES_QUEUED = 20_000;

    private final JobRegistry registry;
    private final JobRows rows;
    private final JobNotifications notifications;
    private final LocalInstance self;
    private final ClusterProperties.Jobs settings;
    private final JobsProperties jobs;
    private final JsonMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final GroupCommit<JobRows.NewJob> inserts;
    private final GroupCommit<JobRows.Finished> finishes;

    /** Jobs running here: id to the attempt we own, for lease renewal and guarded writes. */
    private final Map<JobId, Integer> owned = new ConcurrentHashMap<>();
    /** Slots taken by submits and claims not yet started in the registry. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Claim requests; one dropped while no claim loop listens is caught up by the poll. */
    private final Sinks.Many<Boolean> claimRequests = Sinks.many().multicast().directBestEffort();

    /** Counts the signs that jobs may be waiting: {@code q} notifications and LISTEN reconnects. */
    private final AtomicLong queueSignals = new AtomicLong();
    /**
     * The count of signs seen when a claim last found fewer waiting jobs than it had slots for:
     * while no sign came after it, a job ending here need not look for waiting ones (the poll
     * still does, once a second).
     */
    private volatile long drainedAt = -1;

    private volatile boolean claiming;
    private volatile boolean running;
    private volatile Disposable loops = Disposables.disposed();

    PostgresJobStore(JobRegistry registry, JobRows rows, JobNotifications notifications, LocalInstance self,
            ClusterProperties properties, JobsProperties jobs, JsonMapper mapper) {
        this.registry = registry;
        this.rows = rows;
        this.notifications = notifications;
        this.self = self;
        this.settings = properties.jobs();
        this.jobs = jobs;
        this.mapper = mapper;
        this.inserts = new GroupCommit<>(WRITE_BATCH, WRITES_IN_FLIGHT, WRITES_QUEUED, rows::insert);
        this.finishes = new GroupCommit<>(WRITE_BATCH, WRITES_IN_FLIGHT, WRITES_QUEUED,
                batch -> rows.finish(self.id(), batch));
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller) {
        Object params = registry.checkParams(request);
        if (!registry.isAccepting() || !claiming) {
            throw new ShuttingDownException();
        }
        InstanceLossPolicy onLoss = request.onInstanceLoss() != null ? request.onInstanceLoss()
                : settings.onInstanceLoss();
        JobId id = JobId.random();
        long now = clock.millis();
        boolean here = reserveSlot();
        JobView pending = new JobView(id, request.type(), request.name(), here ? JobState.RUNNING : JobState.PENDING,
                mapper.valueToTree(params), request.timeoutMs(), new JobView.Progress(0, null), null, null, null,
                Instant.ofEpochMilli(now), here ? Instant.ofEpochMilli(now) : null, null,
                caller.name());
        String owner = here ? self.id() : null;
        JobRow row = new JobRow(pending.placed(owner, here ? 1 : 0), onLoss, false);
        Mono<JobRow> stored = inserts
            .submit(new JobRows.NewJob(pending, onLoss, owner, here ? settings.leaseTtlMs() : null))
            .thenReturn(row)
            .doOnError(failure -> {
                if (here) {
                    reserved.decrementAndGet();
                }
            });
        if (!here) {
            // The queue is bounded like the registry: max-active jobs may wait, past that 429.
            return rows.pendingCount()
                .flatMap(waiting -> waiting >= jobs.maxActive()
                        ? Mono.<JobRow>error(new RegistryFullException(jobs.maxActive(), jobs.retryAfterSeconds()))
                        : stored)
                .map(JobRow::view).onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new);
        }
        return stored.onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new)
            .flatMap(saved -> startHere(saved, request, () -> params, caller).map(view -> view.placed(self.id(), 1))
                .onErrorResume(refused -> rows.delete(id).then(Mono.error(refused))));
    }

    @Override
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        return load(id, caller).flatMap(row -> {
            Duration wait = Duration.ofMillis(Math.min(waitMs, jobs.maxWaitMs()));
            if (row.state().isTerminal() || wait.isZero()) {
                return Mono.just(freshest(row));
            }
            if (isRunningHere(row)) {
                return registry.await(id, wait.toMillis(), JobCaller.SYSTEM).map(view -> view.placed(self.id(),
                        row.attempt()));
            }
            return watch(row.view().id(), Mono.empty()).filter(watched -> watched.state().isTerminal()).next()
                .timeout(wait, load(id, JobCaller.SYSTEM))
                .map(JobRow::view);
        });
    }

    @Override
    public Mono<List<JobView>> list(JobState state, String type, Integer limit, JobCaller caller) {
        int max = limit != null ? limit : jobs.defaultListLimit();
        if (max < 1 || max > jobs.maxListLimit()) {
            throw new BadRequestException("limit", "must be between 1 and " + jobs.maxListLimit());
        }
        if (type != null && !registry.typeNames().contains(type)) {
            throw new BadRequestException("type", "unknown job type '" + type + "'; one of " + registry.typeNames());
        }
        return rows.list(state, type, max, caller.name(), caller.seesAll()).map(this::freshest).collectList()
            .onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new);
    }

    @Override
    public Mono<JobView> cancel(String id, JobCaller caller) {
        return load(id, caller).flatMap(this::cancel);
    }

    private Mono<JobView> cancel(JobRow row) {
        JobId id = row.view().id();
        if (row.state().isTerminal()) {
            return Mono.error(new IllegalJobTransitionException(id, row.state(), JobState.CANCELLED));
        }
        if (row.state() == JobState.PENDING) {
            // Claimed between the read and now: cancel it where it runs instead.
            return rows.cancelPending(id, clock.instant()).map(JobRow::view)
                .switchIfEmpty(Mono.defer(() -> load(id.toString(), JobCaller.SYSTEM).flatMap(this::cancel)));
        }
        if (isRunningHere(row)) {
            return Mono.fromSupplier(() -> registry.cancel(id.toString(), JobCaller.SYSTEM).placed(self.id(),
                    row.attempt()));
        }
        return watch(id, rows.requestCancel(id))
            .filter(watched -> watched.state().isTerminal())
            .next()
            .timeout(CANCEL_WAIT, load(id.toString(), JobCaller.SYSTEM))
            .map(JobRow::view)
            .onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new);
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        return load(id, caller).flatMap(row -> {
            if (!row.state().isTerminal()) {
                return Mono.error(new JobNotTerminalException(row.view().id(), row.state()));
            }
            return rows.deleteTerminal(row.view().id())
                .onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new).then();
        });
    }

    @Override
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return load(id, caller).flatMapMany(row -> {
            if (isRunningHere(row)) {
                int attempt = row.attempt();
                return registry.events(id, JobCaller.SYSTEM).map(event -> event.data() instanceof JobView view
                        ? new JobEvent(event.name(), view.placed(self.id(), attempt)) : event);
            }
            return remoteEvents(row);
        });
    }

    /**
     * A job running elsewhere as events: its state now, then every change the row shows when a
     * notification (or the fallback re-read) says it changed, until a terminal state.
     */
    private Flux<JobEvent> remoteEvents(JobRow first) {
        JobId id = first.view().id();
        return Flux.defer(() -> {
            JobView[] last = { null };
            Flux<JobEvent> changes = Flux.concat(Flux.just(first), watch(id, Mono.empty())).concatMapIterable(row -> {
                List<JobEvent> events = new ArrayList<>(2);
                JobView previous = last[0];
                JobView now = row.view();
                boolean stateChanged = previous == null || previous.state() != now.state();
                if (previous == null) {
                    events.add(new JobEvent(JobEvent.STATE, now));
                }
                // As in the registry's own stream: the last progress before the terminal state.
                if (previous == null || !Objects.equals(previous.progress(), now.progress())) {
                    events.add(new JobEvent(JobEvent.PROGRESS, now.progress()));
                }
                if (previous != null && stateChanged) {
                    events.add(new JobEvent(JobEvent.STATE, now));
                }
                last[0] = now;
                return events;
            });
            return changes.takeUntil(event -> event.data() instanceof JobView view && view.state().isTerminal());
        });
    }

    /**
     * The row each time a notification or the fallback poll says it may have changed; ends if it
     * is deleted. Listening starts first, then {@code action} runs, then the row is read once: a
     * change made in between (the owner confirming a cancel within milliseconds, say) is never
     * left to the fallback poll.
     */
    private Flux<JobRow> watch(JobId id, Mono<?> action) {
        String key = id.toString();
        // merge subscribes in order: the notifications before the action.
        Flux<String> signals = Flux.merge(
                notifications.payloads().filter(payload -> payload.length() > 2 && payload.startsWith(key, 2)),
                action.then(Mono.just("now")),
                Flux.interval(WATCH_POLL).map(tick -> "tick"));
        return signals.onBackpressureLatest().concatMap(signal -> rows.find(id), 1);
    }

    private Mono<JobRow> load(String id, JobCaller caller) {
        return Mono.defer(() -> JobId.parse(id).map(rows::find).orElse(Mono.empty()))
            .onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new)
            .filter(row -> caller.seesAll() || Objects.equals(caller.name(), row.view().createdBy()))
            .switchIfEmpty(Mono.error(() -> new JobNotFoundException(id)));
    }

    private boolean isRunningHere(JobRow row) {
        Integer attempt = owned.get(row.view().id());
        return row.state() == JobState.RUNNING && self.id().equals(row.owner()) && attempt != null
                && attempt == row.attempt();
    }

    /** A job this instance runs is fresher in its registry than in the row it mirrors itself into. */
    private JobView freshest(JobRow row) {
        if (self.id().equals(row.owner()) && owned.get(row.view().id()) != null) {
            return registry.local(row.view().id().toString()).map(view -> view.placed(self.id(), row.attempt()))
                .orElse(row.view());
        }
        return row.view();
    }

    private boolean reserveSlot() {
        while (true) {
            int taken = reserved.get();
            if (!claiming || registry.activeCount() + taken >= registry.maxActive()) {
                return false;
            }
            if (reserved.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /**
     * Starts a job this instance owns (its slot reserved, given back here whatever happens) and
     * mirrors it into its row. {@code params} binds the request's params: a submit has them bound
     * already, a claimed job binds them from its row.
     */
    private Mono<JobView> startHere(JobRow row, JobRequest request, Supplier<Object> params, JobCaller caller) {
        JobId id = row.view().id();
        owned.put(id, row.attempt());
        try {
            // The row's start (the submit's own clock reading on the fast path), so every instance shows the same.
            JobView view = registry.start(id, request, params.get(), caller, row.createdAt().toEpochMilli(),
                    row.view().startedAt().toEpochMilli());
            mirror(id, row.attempt());
            return Mono.just(view);
        }
        catch (RuntimeException refused) {
            owned.remove(id);
            return Mono.error(refused);
        }
        finally {
            reserved.decrementAndGet();
        }
    }

    /**
     * Copies a local job's progress (throttled, one write in flight) and its end into the row;
     * the write of the end also frees the slot for the next claim.
     */
    private void mirror(JobId id, int attempt) {
        // The first progress write too waits a throttle period: a short job writes no progress, only its end.
        long[] lastProgress = { clock.millis() };
        registry.events(id.toString(), JobCaller.SYSTEM)
            .filter(event -> {
                if (event.data() instanceof JobView view) {
                    return view.state().isTerminal();
                }
                long now = clock.millis();
                if (now - lastProgress[0] < PROGRESS_WRITE_MS) {
                    return false;
                }
                lastProgress[0] = now;
                return true;
            })
            .onBackpressureLatest()
            .concatMap(event -> write(id, attempt, event), 1)
            .doFinally(signal -> {
                owned.remove(id, attempt);
                if (queueSignals.get() > drainedAt) {
                    claimSoon();
                }
            })
            .subscribe(ignored -> { }, failure -> log.warn("Job {} could not be mirrored to the store", id, failure));
    }

    private Mono<?> write(JobId id, int attempt, JobEvent event) {
        Mono<?> write = event.data() instanceof JobView view ? finishes.submit(new JobRows.Finished(view, attempt))
                : rows.progress(id, self.id(), attempt, ((JobView.Progress) event.data()).completed(),
                        ((JobView.Progress) event.data()).total());
        return write.retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
            .onErrorResume(failure -> {
                log.warn("Could not record job {} in the store; the reaper will settle it", id, failure);
                return Mono.empty();
            });
    }

    /** Asks the claim loop to look for PENDING jobs (coalesced: one claim query at a time). */
    void claimSoon() {
        claimRequests.tryEmitNext(Boolean.TRUE);
    }

    private Mono<Void> claimBatch() {
        return Mono.defer(() -> {
            int free = 0;
            while (claiming) {
                int taken = reserved.get();
                free = Math.min(CLAIM_BATCH, registry.maxActive() - registry.activeCount() - taken);
                if (free <= 0 || reserved.compareAndSet(taken, taken + free)) {
                    break;
                }
            }
            if (!claiming || free <= 0) {
                return Mono.empty();
            }
            int slots = free;
            long signals = queueSignals.get();
            AtomicInteger used = new AtomicInteger();
            return rows.claim(self.id(), slots, settings.leaseTtlMs())
                .concatMap(row -> {
                    used.incrementAndGet();
                    return startClaimed(row);
                })
                .doFinally(signal -> {
                    reserved.addAndGet(-(slots - used.get()));
                    // A full batch: more may be waiting, look again.
                    if (used.get() == slots) {
                        claimSoon();
                    }
                    else if (signal == SignalType.ON_COMPLETE) {
                        drainedAt = Math.max(drainedAt, signals);
                    }
                })
                .then();
        });
    }

    private Mono<Void> startClaimed(JobRow row) {
        JobView view = row.view();
        JobRequest request = new JobRequest(view.type(), (JsonNode) view.params(), view.timeoutMs(), view.name(),
                row.onInstanceLoss());
        return startHere(row, request, () -> registry.checkParams(request), new JobCaller(view.createdBy(), false))
            .then()
            .onErrorResume(refused -> {
                log.info("Claimed job {} could not start here ({}); handing it back", view.id(), refused.toString());
                return rows.release(view.id(), self.id()).then();
            });
    }

    private Mono<Void> heartbeat() {
        String state = claiming ? "UP" : "DRAINING";
        List<JobId> mine = List.copyOf(owned.keySet());
        return rows.heartbeat(self, state, owned.size())
            .thenMany(rows.renew(self.id(), mine, settings.leaseTtlMs()))
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .doOnNext(renewed -> {
                for (JobId id : mine) {
                    Boolean cancelRequested = renewed.get(id);
                    // Not renewed: the job is no longer ours (timed out or reaped); stop the work here too.
                    if (cancelRequested == null || cancelRequested) {
                        cancelLocally(id);
                    }
                }
            })
            .then()
            .onErrorResume(failure -> {
                log.warn("Heartbeat failed: {}", failure.toString());
                return Mono.empty();
            });
    }

    private Mono<Void> reap() {
        return rows.reapLost()
            .then(rows.reapTimedOut())
            .then(rows.retain(jobs.retention().maxAgeMs(), jobs.retention().maxCount()))
            .then(rows.reapInstances(settings.leaseTtlMs()))
            .then()
            .onErrorResume(failure -> {
                log.debug("Reaper pass failed: {}", failure.toString());
                return Mono.empty();
            });
    }

    private void onNotification(String payload) {
        if (payload.equals("q")) {
            queueSignals.incrementAndGet();
            claimSoon();
        }
        else if (payload.startsWith("c:")) {
            JobId.parse(payload.substring(2)).filter(owned::containsKey).ifPresent(this::cancelLocally);
        }
    }

    private void cancelLocally(JobId id) {
        try {
            registry.cancel(id.toString(), JobCaller.SYSTEM);
        }
        catch (RuntimeException alreadyOver) {
            // Terminal or forgotten already: nothing left to stop.
        }
    }

    Mono<ClusterStatus> status() {
        return rows.instances().collectList()
            .map(members -> new ClusterStatus("postgres", self.id(), members))
            .onErrorMap(JobRows::isDatabaseFailure, StoreUnavailableException::new);
    }

    Mono<Integer> ping() {
        return rows.ping();
    }

    @Override
    public void start() {
        claiming = true;
        running = true;
        notifications.start();
        Disposable listener = notifications.payloads().subscribe(this::onNotification);
        // After a reconnect, notifications may have been missed: look for work and cancels now.
        Disposable resync = notifications.reconnects().subscribe(tick -> {
            queueSignals.incrementAndGet();
            claimSoon();
        });
        Disposable claims = claimRequests.asFlux().onBackpressureLatest()
            .concatMap(request -> claimBatch().onErrorResume(failure -> {
                log.debug("Claim failed: {}", failure.toString());
                return Mono.empty();
            }), 1)
            .subscribe();
        Disposable claimPoll = Flux.interval(CLAIM_POLL).subscribe(tick -> claimSoon());
        Disposable heartbeats = Flux.interval(Duration.ZERO, Duration.ofMillis(settings.heartbeatMs()))
            .onBackpressureDrop().concatMap(tick -> heartbeat(), 1).subscribe();
        Disposable reaper = Flux.interval(Duration.ofMillis(settings.reaperMs()))
            .onBackpressureDrop().concatMap(tick -> reap(), 1).subscribe();
        loops = Disposables.composite(listener, resync, claims, claimPoll, heartbeats, reaper);
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /**
     * Runs before the registry drains (it depends on the registry): stop claiming and hand
     * RERUN jobs back to PENDING for the other instances, then cancel them here. Heartbeats go
     * on until the context is destroyed, so jobs finishing within the grace period keep their
     * lease.
     */
    @Override
    public void stop(Runnable callback) {
        claiming = false;
        rows.handBack(self.id())
            .doOnNext(id -> {
                owned.remove(id);
                cancelLocally(id);
            })
            .count()
            .doOnNext(count -> log.info("Handed {} RERUN jobs back to the other instances", count))
            .onErrorResume(failure -> {
                log.warn("Could not hand RERUN jobs back ({}); they re-run after the lease expires",
                        failure.toString());
                return Mono.empty();
            })
            .doFinally(signal -> {
                running = false;
                callback.run();
            })
            .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After every lifecycle stopped: give the last terminal writes a moment, then leave the cluster cleanly. */
    @Override
    public void destroy() {
        long deadline = System.currentTimeMillis() + 3_000;
        while (!owned.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        loops.dispose();
        notifications.stop();
        try {
            rows.heartbeat(self, "STOPPED", 0).block(Duration.ofSeconds(2));
        }
        catch (RuntimeException ex) {
            log.warn("Could not record this instance as STOPPED: {}", ex.toString());
        }
    }
}
