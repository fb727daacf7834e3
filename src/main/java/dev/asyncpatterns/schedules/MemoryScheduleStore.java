package dev.asyncpatterns.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Schedules kept in this process: a bounded map ({@code max-total}, and {@code max-per-caller} per
 * owner) and one Reactor timer per schedule ({@code loop.call_at}, re-armed after each due time),
 * disposed on pause, delete and shutdown. Time comes from the timers' scheduler, so a virtual-time
 * scheduler drives both the delays and the cron arithmetic in tests.
 */
@Component
@ConditionalOnProperty(name = "asyncpatterns.store", havingValue = "memory", matchIfMissing = true)
class MemoryScheduleStore implements ScheduleStore, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MemoryScheduleStore.class);

    private final ScheduleFiring firing;
    private final RunStates states;
    private final SchedulesProperties properties;
    /**
     * Looked up at each use: Reactor disposes its cached schedulers when their factory is replaced
     * (as virtual-time tests do), so a reference kept from construction could go dead in a Spring
     * context cached across test classes.
     */
    private final Supplier<Scheduler> timers;
    private final Map<ScheduleId, LiveSchedule> schedules = new ConcurrentHashMap<>();
    /** Schedules per owner ("" for anonymous callers); guarded by this, as is the total check. */
    private final Map<String, Integer> owned = new HashMap<>();
    private volatile boolean running;

    @Autowired
    MemoryScheduleStore(ScheduleFiring firing, RunStates states, SchedulesProperties properties) {
        // The shared parallel scheduler: its delay queue times every schedule, no thread per schedule.
        this(firing, states, properties, Schedulers::parallel);
    }

    MemoryScheduleStore(ScheduleFiring firing, RunStates states, SchedulesProperties properties,
            Supplier<Scheduler> timers) {
        this.firing = firing;
        this.states = states;
        this.properties = properties;
        this.timers = timers;
    }

    @Override
    public Mono<ScheduleView> create(Schedule schedule, boolean paused) {
        LiveSchedule live = new LiveSchedule(schedule, paused);
        admit(schedule);
        schedules.put(schedule.id(), live);
        if (!paused) {
            live.arm(live.timing().first(now()), due -> timer(live, due));
        }
        return Mono.just(live.view());
    }

    private synchronized void admit(Schedule schedule) {
        String owner = ownerKey(schedule.owner());
        int held = owned.getOrDefault(owner, 0);
        ScheduleLimits.check(properties, schedule.owner(), schedules.size(), held);
        owned.put(owner, held + 1);
    }

    private static String ownerKey(String owner) {
        return owner == null ? "" : owner;
    }

    @Override
    public Mono<List<ScheduleView>> list(JobCaller caller) {
        List<LiveSchedule> mine = schedules.values().stream().filter(live -> visible(live, caller))
            .sorted(Comparator.comparing((LiveSchedule live) -> live.schedule().createdAt())
                .thenComparing(live -> live.schedule().id().value()))
            .toList();
        return Flux.fromIterable(mine).concatMap(this::view).collectList();
    }

    @Override
    public Mono<ScheduleView> get(String id, JobCaller caller) {
        return Mono.defer(() -> view(find(id, caller)));
    }

    @Override
    public Mono<ScheduleView> pause(String id, JobCaller caller) {
        return Mono.defer(() -> {
            LiveSchedule live = find(id, caller);
            live.pause();
            return view(live);
        });
    }

    @Override
    public Mono<ScheduleView> resume(String id, JobCaller caller) {
        return Mono.defer(() -> {
            LiveSchedule live = find(id, caller);
            if (live.resume()) {
                live.arm(live.timing().first(now()), due -> timer(live, due));
            }
            return view(live);
        });
    }

    @Override
    public Mono<JobView> trigger(String id, JobCaller caller) {
        return Mono.defer(() -> {
            LiveSchedule live = find(id, caller);
            return firing.trigger(live.schedule(), now(), live.runs().previousJob(),
                    run -> Mono.fromRunnable(() -> live.runs().record(run)));
        });
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        return Mono.defer(() -> {
            LiveSchedule live = find(id, caller);
            forget(live);
            return Mono.empty();
        });
    }

    private synchronized void forget(LiveSchedule live) {
        live.stop();
        if (schedules.remove(live.schedule().id()) != null) {
            owned.computeIfPresent(ownerKey(live.schedule().owner()), (owner, held) -> held <= 1 ? null : held - 1);
        }
    }

    private LiveSchedule find(String id, JobCaller caller) {
        return ScheduleId.parse(id).map(schedules::get).filter(live -> visible(live, caller))
            .orElseThrow(() -> new ScheduleNotFoundException(id));
    }

    private static boolean visible(LiveSchedule live, JobCaller caller) {
        return caller.seesAll() || Objects.equals(caller.name(), live.schedule().owner());
    }

    private Mono<ScheduleView> view(LiveSchedule live) {
        ScheduleView view = live.view();
        return states.live(view.lastRuns()).map(view::withRuns);
    }

    /** The one timer of a schedule: waits for {@code due}, fires, records the run, arms the next. */
    private Disposable timer(LiveSchedule live, Instant due) {
        Scheduler timer = timers.get();
        Duration wait = Duration.ofMillis(Math.max(0, due.toEpochMilli() - timer.now(TimeUnit.MILLISECONDS)));
        return Mono.delay(wait, timer)
            .then(Mono.defer(() -> firing.fire(live.schedule(), due, live.runs().previousJob())))
            .subscribe(run -> {
                live.runs().record(run);
                live.arm(live.timing().following(due, now()), next -> timer(live, next));
            }, bug -> log.error("Schedule {} stopped firing", live.schedule().id(), bug));
    }

    private Instant now() {
        return Instant.ofEpochMilli(timers.get().now(TimeUnit.MILLISECONDS));
    }

    /** How many schedules this process holds. */
    int count() {
        return schedules.size();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Disposes every timer: nothing fires into a registry that is draining. */
    @Override
    public void stop() {
        running = false;
        schedules.values().forEach(LiveSchedule::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
