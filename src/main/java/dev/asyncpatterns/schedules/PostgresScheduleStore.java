package dev.asyncpatterns.schedules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.asyncpatterns.cluster.RepeatedFailureLog;
import dev.asyncpatterns.cluster.StoreUnavailableException;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * {@code asyncpatterns.store=postgres}: schedules are rows every instance shares, so they survive
 * restarts and any instance answers for any of them. Each instance polls for due schedules every
 * {@code poll-interval}, one pass at a time, and starts the runs it claimed ({@link ScheduleRows#claimDue}):
 * one job per due time whichever instances poll, and after an outage one catch-up run, since a
 * claim moves {@code next_run_at} past now.
 *
 * <p>A stop lets the pass under way finish: its claims are committed, so no other instance will
 * start those due times, and a pass cut short would leave them {@code STARTING} with no job. The
 * context stops this store before the job registry drains
 * ({@link PostgresSchedulesConfiguration}), so those jobs still start.
 */
class PostgresScheduleStore implements ScheduleStore, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresScheduleStore.class);
    /** Most due schedules one pass claims; the next pass takes the rest. */
    static final int BATCH = 100;
    /**
     * How long a stop waits for the pass under way: its {@link #BATCH} submits take well under a
     * second; past this the database is not answering, and the pass is given up.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final ScheduleRows rows;
    private final ScheduleFiring firing;
    private final RunStates states;
    private final SchedulesProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final RepeatedFailureLog failures = new RepeatedFailureLog(log, "Firing due schedules failed");
    private volatile Disposable polls = Disposables.disposed();
    private volatile Sinks.One<Boolean> stopping = Sinks.one();
    private volatile CountDownLatch passesEnded = new CountDownLatch(0);

    PostgresScheduleStore(ScheduleRows rows, ScheduleFiring firing, RunStates states, SchedulesProperties properties) {
        this.rows = rows;
        this.firing = firing;
        this.states = states;
        this.properties = properties;
    }

    @Override
    public Mono<ScheduleView> create(Schedule schedule, boolean paused) {
        Instant next = paused ? null : schedule.timing().first(clock.instant());
        return store(rows.counts(schedule.owner()).flatMap(counts -> {
            ScheduleLimits.check(properties, schedule.owner(), counts[0], counts[1]);
            return rows.insert(schedule, paused, next, properties.maxTotal(), properties.maxPerCaller());
        }).flatMap(inserted -> inserted ? Mono.just(ScheduleView.of(schedule, paused, next, List.of()))
                // Another create took the last place between the count and the insert.
                : rows.counts(schedule.owner()).map(counts -> {
                    ScheduleLimits.check(properties, schedule.owner(), counts[0], counts[1]);
                    throw new SchedulesFullException(properties.maxTotal());
                })));
    }

    @Override
    public Mono<List<ScheduleView>> list(JobCaller caller) {
        return store(rows.list(caller.name(), caller.seesAll()).concatMap(this::view).collectList());
    }

    @Override
    public Mono<ScheduleView> get(String id, JobCaller caller) {
        return store(find(id, caller).flatMap(this::view));
    }

    @Override
    public Mono<ScheduleView> pause(String id, JobCaller caller) {
        return store(ScheduleId.parse(id).map(known -> rows.pause(known, caller.name(), caller.seesAll()))
            .orElse(Mono.empty()).switchIfEmpty(Mono.error(() -> new ScheduleNotFoundException(id))).flatMap(this::view));
    }

    @Override
    public Mono<ScheduleView> resume(String id, JobCaller caller) {
        return store(find(id, caller).flatMap(row -> {
            if (!row.paused()) {
                return Mono.just(row);
            }
            Instant next = row.schedule().timing().first(clock.instant());
            // Resumed meanwhile elsewhere (or deleted): show it as it is now.
            return rows.resume(row.schedule().id(), next).switchIfEmpty(find(id, caller));
        }).flatMap(this::view));
    }

    @Override
    public Mono<JobView> trigger(String id, JobCaller caller) {
        return store(find(id, caller).flatMap(row -> rows.previousJob(row.schedule().id())
            .map(Optional::of).defaultIfEmpty(Optional.empty())
            .flatMap(previous -> firing.trigger(row.schedule(), clock.instant(), previous.orElse(null),
                    run -> rows.triggered(row.schedule().id(), run)))));
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        return store(ScheduleId.parse(id).map(known -> rows.delete(known, caller.name(), caller.seesAll()))
            .orElse(Mono.just(false))
            .flatMap(deleted -> deleted ? Mono.<Void>empty() : Mono.error(new ScheduleNotFoundException(id))));
    }

    private Mono<ScheduleRows.Row> find(String id, JobCaller caller) {
        return ScheduleId.parse(id).map(known -> rows.find(known, caller.name(), caller.seesAll()))
            .orElse(Mono.empty()).switchIfEmpty(Mono.error(() -> new ScheduleNotFoundException(id)));
    }

    private Mono<ScheduleView> view(ScheduleRows.Row row) {
        return rows.runs(row.schedule().id()).flatMap(states::live)
            .map(runs -> ScheduleView.of(row.schedule(), row.paused(), row.nextRunAt(), runs));
    }

    /** A database that does not answer is a 503, as for the jobs of this store. */
    private static <T> Mono<T> store(Mono<T> call) {
        return Mono.defer(() -> call).onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }

    /** One pass: claim what is due, start each claimed run, record what came of it. */
    Mono<Void> pass() {
        return rows.claimDue(BATCH, (schedule, due, now) -> schedule.timing().following(due, now))
            .concatMap(claimed -> firing.fire(claimed.schedule(), claimed.due(), claimed.previous())
                .flatMap(run -> rows.finish(claimed.schedule().id(), run)))
            .then();
    }

    @Override
    public void start() {
        Sinks.One<Boolean> stop = Sinks.one();
        CountDownLatch ended = new CountDownLatch(1);
        stopping = stop;
        passesEnded = ended;
        // Ticks that come while a pass still runs are dropped: passes never pile up behind a slow database.
        polls = Flux.interval(properties.pollInterval(), properties.pollInterval(), Schedulers.parallel())
            .takeUntilOther(stop.asMono())
            .onBackpressureDrop()
            .concatMap(tick -> pass().onErrorResume(failure -> {
                failures.failed(failure);
                return Mono.empty();
            }), 1)
            .doFinally(signal -> ended.countDown())
            .subscribe();
    }

    /**
     * Starts no pass after this and waits, on the closing thread, up to {@link #STOP_WAIT} for the
     * one under way to start what it claimed and record it.
     */
    @Override
    public void stop() {
        stopping.tryEmitValue(Boolean.TRUE);
        try {
            if (!passesEnded.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The schedules' pass under way did not end within {} ms of the stop; it is given up, and "
                        + "the due times it claimed stay STARTING", STOP_WAIT.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        polls.dispose();
    }

    @Override
    public boolean isRunning() {
        return !polls.isDisposed();
    }
}
