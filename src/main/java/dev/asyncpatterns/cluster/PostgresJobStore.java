package dev.asyncpatterns.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.asyncpatterns.callbacks.CallbackView;
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
import dev.asyncpatterns.jobs.RetryPolicy;
import dev.asyncpatterns.jobs.ShuttingDownException;
import dev.asyncpatterns.jobs.StartTime;
import dev.asyncpatterns.web.BadRequestException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code asyncpatterns.store=postgres}: jobs are rows every instance reads; each instance runs
 * the jobs it claimed in its own {@link JobRegistry} (the one state machine) and mirrors their
 * progress and end into the row. This class answers the endpoints and decides who sees what;
 * its parts do the rest:
 *
 * <ul>
 * <li>{@link JobClaims}: a submit starts here at once when a slot is free, otherwise it stays
 * {@code PENDING} and a {@code NOTIFY} wakes the others, which claim it.</li>
 * <li>{@link RowMirror}: a job running here writes its progress and end into its row.</li>
 * <li>{@link RemoteWatch}: reads, waits and event streams of a job running elsewhere follow its
 * row. A cancel of such a job sets {@code cancel_requested} and notifies in one statement; the
 * owner cancels it locally, or at its next heartbeat if the notification was lost.</li>
 * <li>{@link DuePromotion}: a delayed job waits as a SCHEDULED row; one timer per instance
 * promotes due rows to PENDING, where the claims take them.</li>
 * <li>{@link RowCallbacks}: a callback is a row stored with its job; {@link CallbackClaims} on any
 * instance delivers it once the job ended.</li>
 * <li>{@link JobLeases}: heartbeats renew leases; every instance's reaper settles expired ones,
 * {@code timeoutMs} and retention; a clean stop hands RERUN jobs back.</li>
 * </ul>
 */
class PostgresJobStore implements JobStore, SmartLifecycle, DisposableBean, MeterBinder {

    /** How long a cancel of a job running elsewhere waits for the owner to confirm. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final JobRegistry registry;
    private final JobRows rows;
    private final JobNotifications notifications;
    private final LocalInstance self;
    private final ClusterProperties settings;
    private final JobsProperties jobs;
    private final JsonMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final GroupCommit<NewJob> inserts;
    private final OwnedJobs owned;
    private final JobClaims claims;
    private final LocalRuns runs;
    private final RemoteWatch remote;
    private final JobLeases leases;
    private final WaitingRows waiting;
    private final DuePromotion promotion;
    private final RowRequeues requeues;
    private final RowCallbacks callbacks;

    private volatile boolean running;
    private volatile Disposable loops = Disposables.disposed();

    PostgresJobStore(JobRegistry registry, JobRows rows, LeaseRows leaseRows, DueRows dueRows, RetryRows retries,
            InstanceRows instances, JobNotifications notifications, LocalInstance self, ClusterProperties properties,
            JobsProperties jobs, JsonMapper mapper, RowCallbacks callbacks) {
        this.registry = registry;
        this.rows = rows;
        this.notifications = notifications;
        this.self = self;
        this.settings = properties;
        this.jobs = jobs;
        this.mapper = mapper;
        this.callbacks = callbacks;
        this.inserts = GroupCommit.ofStoreWrites(rows.inserts()::insert);
        this.owned = OwnedJobs.in(registry);
        this.claims = new JobClaims(rows, self.id(), settings.leaseTtl().toMillis(),
                () -> registry.maxActive() - registry.activeCount(), this::startClaimed);
        this.runs = new LocalRuns(registry, owned, new RowMirror(rows, self.id(), clock::millis), claims::jobEnded);
        this.remote = new RemoteWatch(rows, notifications, RemoteWatch.POLL);
        this.leases = new JobLeases(leaseRows, instances, self, owned, settings, jobs.retention(), retries,
                registry::retried);
        this.waiting = new WaitingRows(rows, dueRows, jobs);
        this.promotion = new DuePromotion(dueRows, claims::queueSignalled, clock::millis, JobClaims.CLAIM_POLL);
        this.requeues = new RowRequeues(retries, rows, () -> {
            registry.retried();
            promotion.scheduled(clock.millis());
        });
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller) {
        return submit(request, caller, null);
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller, String scheduleId) {
        CallbackView callback = callbacks.accept(request);
        Object params = registry.checkParams(request);
        RetryPolicy retry = request.retryPolicy();
        long now = clock.millis();
        OptionalLong dueAt = StartTime.dueAt(request, now);
        if (!registry.isAccepting() || !claims.isClaiming()) {
            throw new ShuttingDownException();
        }
        InstanceLossPolicy onLoss = request.onInstanceLoss() != null ? request.onInstanceLoss()
                : settings.onInstanceLoss();
        JobId id = JobId.random();
        boolean here = dueAt.isEmpty() && claims.reserveSlot();
        JobState state = dueAt.isPresent() ? JobState.SCHEDULED : here ? JobState.RUNNING : JobState.PENDING;
        JobView pending = new JobView(id, request.type(), request.name(), state, mapper.valueToTree(params),
                request.timeoutMs(), new JobView.Progress(0, null), null, null, null, Instant.ofEpochMilli(now),
                here ? Instant.ofEpochMilli(now) : null, null, caller.name(), null, null,
                dueAt.isPresent() ? Instant.ofEpochMilli(dueAt.getAsLong()) : null).withCallback(callback)
                .scheduledBy(scheduleId);
        String owner = here ? self.id() : null;
        JobView placed = pending.placed(owner, here ? 1 : 0);
        JobRow row = new JobRow(retry == null ? placed : placed.withAttempts(placed.attempt(), retry.maxAttempts(),
                List.of()), onLoss, false, pending.nextAttemptAt(), retry);
        Mono<JobRow> stored = inserts
            .submit(new NewJob(pending, onLoss, owner, here ? settings.leaseTtl().toMillis() : null, retry,
                    callback != null ? callback.url() : null))
            .thenReturn(row);
        if (!here) {
            return waiting.store(stored, dueAt.isPresent())
                .doOnSuccess(saved -> dueAt.ifPresent(promotion::scheduled))
                .map(JobRow::view).onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
        }
        return stored.onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new)
            .flatMap(saved -> runs.start(saved, request, () -> params, caller)
                .map(view -> saved.keepsAttempts() ? saved.view() : here(view, saved))
                .onErrorResume(refused -> rows.delete(id).then(Mono.error(refused))))
            // Started or not (a failed insert, a refused start, a caller gone meanwhile), the reservation ends.
            .doFinally(signal -> claims.releaseSlot());
    }

    @Override
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        return load(id, caller).flatMap(row -> {
            Duration wait = Duration.ofMillis(Math.min(waitMs, jobs.maxWait().toMillis()));
            if (row.state().isTerminal() || wait.isZero()) {
                return Mono.just(freshest(row));
            }
            if (runsHere(row)) {
                return registry.await(id, wait.toMillis(), JobCaller.SYSTEM).map(view -> here(view, row));
            }
            return remote.terminal(row.view().id(), Mono.empty())
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
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
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
        if (row.state() == JobState.PENDING || row.state() == JobState.SCHEDULED) {
            // Claimed between the read and now: cancel it where it runs instead.
            return rows.cancelWaiting(id, clock.instant()).map(JobRow::view)
                .switchIfEmpty(Mono.defer(() -> load(id.toString(), JobCaller.SYSTEM).flatMap(this::cancel)));
        }
        if (runsHere(row)) {
            return Mono.fromSupplier(() -> here(registry.cancel(id.toString(), JobCaller.SYSTEM), row));
        }
        return remote.terminal(id, rows.requestCancel(id))
            .timeout(CANCEL_WAIT, load(id.toString(), JobCaller.SYSTEM))
            .map(JobRow::view)
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }

    /** A new delivery of the callback, in its row: see {@link RowCallbacks}. */
    @Override
    public Mono<JobView> redeliverCallback(String id, JobCaller caller) {
        return load(id, caller).flatMap(callbacks::redeliver);
    }

    /** The dead-letter requeue, in the row: see {@link RowRequeues}. */
    @Override
    public Mono<JobView> retry(String id, JobCaller caller) {
        return load(id, caller).flatMap(requeues::requeue);
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        return load(id, caller).flatMap(row -> {
            if (!row.state().isTerminal()) {
                return Mono.error(new JobNotTerminalException(row.view().id(), row.state()));
            }
            return rows.deleteTerminal(row.view().id())
                .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new).then();
        });
    }

    @Override
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return load(id, caller).flatMapMany(row -> {
            if (runsHere(row)) {
                return registry.events(id, JobCaller.SYSTEM).map(event -> event.data() instanceof JobView view
                        ? new JobEvent(event.name(), here(view, row)) : event);
            }
            return remote.events(row);
        });
    }

    /** The row, if {@code caller} may see it: a job is its creator's (and visible to callers who see all). */
    private Mono<JobRow> load(String id, JobCaller caller) {
        return Mono.defer(() -> JobId.parse(id).map(rows::find).orElse(Mono.empty()))
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new)
            .filter(row -> caller.seesAll() || Objects.equals(caller.name(), row.view().createdBy()))
            .switchIfEmpty(Mono.error(() -> new JobNotFoundException(id)));
    }

    /**
     * Whether the row's job runs in this instance's registry. A claimed job is owned a moment
     * before the registry holds it; meanwhile it is followed through its row like a job running
     * elsewhere, rather than answered 404 by a registry that does not know it yet.
     */
    private boolean runsHere(JobRow row) {
        // A job that retries is followed through its row even here: its attempts, and its life past this one, are there.
        return !row.keepsAttempts() && owned.runsHere(row, self.id())
                && registry.local(row.view().id().toString()).isPresent();
    }

    /** A job this instance runs is fresher in its registry than in the row it mirrors itself into. */
    private JobView freshest(JobRow row) {
        if (!row.keepsAttempts() && self.id().equals(row.owner()) && owned.owns(row.view().id())) {
            return registry.local(row.view().id().toString()).map(view -> here(view, row)).orElse(row.view());
        }
        return row.view();
    }

    /** The registry's view of a job running here, as the row's: owner, attempt, and the callback kept in the store. */
    private JobView here(JobView local, JobRow row) {
        return local.placed(self.id(), row.attempt()).withCallback(row.view().callback());
    }

    /** The claims start what they claim here, and each end here frees a slot for the next claim. */
    private Mono<Void> startClaimed(JobRow row) {
        // The first start only: a rerun after an instance loss is late for another reason.
        if (row.dueAt() != null && row.attempt() == 1) {
            registry.startedLate(Duration.between(row.dueAt(), row.view().startedAt()));
        }
        return runs.startClaimed(row);
    }

    @Override
    public void start() {
        running = true;
        notifications.start();
        loops = Disposables.composite(new NotificationDispatch(claims, owned).start(notifications), claims.start(),
                leases.start(claims::isClaiming), promotion.start());
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
        claims.stop();
        leases.handBack()
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
        owned.awaitNone(Duration.ofSeconds(3));
        loops.dispose();
        notifications.stop();
        leases.leave(Duration.ofSeconds(2));
    }

    /** {@code asyncpatterns.cluster.reaper.passes}: an instance whose count stops rising settles no leases. */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("asyncpatterns.cluster.reaper.passes", leases, JobLeases::reaperPasses)
            .description("Reaper passes this instance completed (leases, timeouts, retention, lost instances)")
            .register(registry);
    }
}
