package dev.asyncpatterns.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.RegistryFullException;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryScheduleStoreTests {

    private static final Instant START = Instant.parse("2026-03-28T00:00:00Z");
    private static final JobCaller ALICE = new JobCaller("alice", false);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final FakeJobStore jobs = new FakeJobStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private MemoryScheduleStore store;

    @BeforeEach
    void setUp() {
        clock.advanceTimeTo(START);
        store = store(100, 1000);
    }

    private MemoryScheduleStore store(int maxPerCaller, int maxTotal) {
        MemoryScheduleStore created = new MemoryScheduleStore(new ScheduleFiring(jobs, meters), new RunStates(jobs),
                new SchedulesProperties(maxPerCaller, maxTotal, Duration.ofMillis(500)), () -> clock);
        created.start();
        return created;
    }

    private Schedule every(long ms, Overlap overlap) {
        return new Schedule(ScheduleId.random(), "tick", null, ms, "UTC", job(), overlap, "alice", START);
    }

    private static ScheduleJob job() {
        return new ScheduleJob("sleep", JsonMapper.builder().build().readTree("{\"durationMs\": 10}"), null, null);
    }

    private ScheduleView create(Schedule schedule) {
        return store.create(schedule, false).block(Duration.ofSeconds(5));
    }

    private ScheduleView get(ScheduleView schedule) {
        return store.get(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));
    }

    private void endAll() {
        jobs.submitted.forEach(job -> jobs.end(job.id(), JobState.SUCCEEDED));
    }

    @Test
    void everyMsFiresOncePerPeriodAsTheOwnerWithTheScheduleId() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        assertThat(schedule.nextRunAt()).isEqualTo(START.plusMillis(1000));

        clock.advanceTimeBy(Duration.ofMillis(999));
        assertThat(jobs.submitted).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(jobs.submitted).hasSize(1);
        clock.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(jobs.submitted).hasSize(4).allSatisfy(job -> {
            assertThat(job.scheduleId()).isEqualTo(schedule.id().toString());
            assertThat(job.caller().name()).isEqualTo("alice");
            assertThat(job.caller().seesAll()).isFalse();
            assertThat(job.request().name()).isEqualTo("tick");
        });
        ScheduleView now = get(schedule);
        assertThat(now.nextRunAt()).isEqualTo(START.plusMillis(5000));
        assertThat(now.lastRuns()).extracting(ScheduleRun::scheduledFor)
            .containsExactly(START.plusMillis(4000), START.plusMillis(3000), START.plusMillis(2000), START.plusMillis(1000));
        assertThat(meters.counter("asyncpatterns.schedules.fired", "outcome", "started", "trigger", "timer").count())
            .isEqualTo(4);
    }

    @Test
    void cronFiresAtItsTimesInItsZoneAcrossADaylightSavingChange() {
        Schedule nineInBerlin = new Schedule(ScheduleId.random(), "morning", "0 0 9 * * *", null, "Europe/Berlin", job(),
                Overlap.ALLOW, "alice", START);
        ScheduleView schedule = create(nineInBerlin);
        assertThat(schedule.nextRunAt()).isEqualTo(Instant.parse("2026-03-28T08:00:00Z"));

        clock.advanceTimeTo(Instant.parse("2026-03-29T12:00:00Z"));

        assertThat(get(schedule).lastRuns()).extracting(ScheduleRun::scheduledFor)
            .containsExactly(Instant.parse("2026-03-29T07:00:00Z"), Instant.parse("2026-03-28T08:00:00Z"));
        assertThat(get(schedule).nextRunAt()).isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void pauseDisposesTheTimerAndResumeDoesNotReplayWhatWasMissed() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        ScheduleView paused = store.pause(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));

        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextRunAt()).isNull();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(jobs.submitted).isEmpty();

        ScheduleView resumed = store.resume(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextRunAt()).isEqualTo(START.plusMillis(11_000));
        clock.advanceTimeBy(Duration.ofMillis(1000));
        assertThat(jobs.submitted).hasSize(1);
    }

    @Test
    void deleteStopsTheTimerAndLeavesItsJobsRunning() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        clock.advanceTimeBy(Duration.ofSeconds(1));

        store.delete(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));
        clock.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(jobs.submitted).hasSize(1);
        assertThat(jobs.cancelled).isEmpty();
        assertThat(jobs.state(jobs.submitted.get(0).id())).isEqualTo(JobState.RUNNING);
        assertThatThrownBy(() -> get(schedule)).isInstanceOf(ScheduleNotFoundException.class);
        assertThat(store.count()).isZero();
    }

    @Test
    void stopDisposesEveryTimer() {
        create(every(1000, Overlap.ALLOW));
        create(every(2000, Overlap.ALLOW));

        store.stop();
        clock.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(jobs.submitted).isEmpty();
    }

    @Test
    void skipStartsNothingWhileThePreviousRunIsActive() {
        ScheduleView schedule = create(every(1000, Overlap.SKIP));
        clock.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(jobs.submitted).hasSize(1);
        assertThat(get(schedule).lastRuns()).extracting(ScheduleRun::state).containsExactly("SKIPPED", "RUNNING");

        endAll();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(jobs.submitted).hasSize(2);
        assertThat(get(schedule).lastRuns()).extracting(ScheduleRun::state)
            .containsExactly("RUNNING", "SKIPPED", "SUCCEEDED");
        assertThat(meters.counter("asyncpatterns.schedules.fired", "outcome", "skipped", "trigger", "timer").count())
            .isEqualTo(1);
    }

    @Test
    void cancelPreviousCancelsTheActiveRunBeforeStartingTheNext() {
        create(every(1000, Overlap.CANCEL_PREVIOUS));
        clock.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(jobs.submitted).hasSize(2);
        assertThat(jobs.cancelled).containsExactly(jobs.submitted.get(0).id().toString());
        assertThat(jobs.state(jobs.submitted.get(1).id())).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aRefusedJobIsARefusedRunAndTheTimerGoesOn() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        jobs.refuseWith(() -> new RegistryFullException(5, 1));
        clock.advanceTimeBy(Duration.ofSeconds(1));

        ScheduleRun refused = get(schedule).lastRuns().get(0);
        assertThat(refused.state()).isEqualTo("REFUSED");
        assertThat(refused.jobId()).isNull();
        assertThat(refused.detail()).contains("maximum of 5 active jobs");

        jobs.refuseWith(null);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(jobs.submitted).hasSize(1);
        assertThat(meters.counter("asyncpatterns.schedules.fired", "outcome", "refused", "trigger", "timer").count())
            .isEqualTo(1);
    }

    @Test
    void lastRunsKeepsTheTenNewest() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        clock.advanceTimeBy(Duration.ofSeconds(15));

        List<ScheduleRun> runs = get(schedule).lastRuns();
        assertThat(runs).hasSize(RunHistory.KEPT);
        assertThat(runs.get(0).scheduledFor()).isEqualTo(START.plusSeconds(15));
        assertThat(runs.get(9).scheduledFor()).isEqualTo(START.plusSeconds(6));
    }

    @Test
    void triggerStartsOneRunNowEvenWhileSkipWouldWait() {
        ScheduleView schedule = create(every(60_000, Overlap.SKIP));
        JobView first = store.trigger(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));
        JobView second = store.trigger(schedule.id().toString(), ALICE).block(Duration.ofSeconds(5));

        assertThat(first.scheduleId()).isEqualTo(schedule.id().toString());
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(get(schedule).lastRuns()).extracting(ScheduleRun::jobId).containsExactly(second.id(), first.id());
        assertThat(get(schedule).nextRunAt()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void anotherCallersScheduleIsNotFound() {
        ScheduleView schedule = create(every(1000, Overlap.ALLOW));
        JobCaller bob = new JobCaller("bob", false);

        assertThatThrownBy(() -> store.get(schedule.id().toString(), bob).block()).isInstanceOf(ScheduleNotFoundException.class);
        assertThatThrownBy(() -> store.delete(schedule.id().toString(), bob).block())
            .isInstanceOf(ScheduleNotFoundException.class);
        assertThat(store.list(bob).block()).isEmpty();
        assertThat(store.list(ALICE).block()).extracting(ScheduleView::id).containsExactly(schedule.id());
    }

    @Test
    void theQuotaPerCallerAndTheTotalBoundAnswer429() {
        store = store(2, 3);
        create(every(1000, Overlap.ALLOW));
        create(every(1000, Overlap.ALLOW));

        assertThatThrownBy(() -> create(every(1000, Overlap.ALLOW)))
            .hasMessageContaining("429").hasMessageContaining("schedules.max-per-caller");
        store.create(new Schedule(ScheduleId.random(), "b", null, 1000L, "UTC", job(), Overlap.ALLOW, "bob", START), false)
            .block();
        assertThatThrownBy(() -> store.create(new Schedule(ScheduleId.random(), "c", null, 1000L, "UTC", job(),
                Overlap.ALLOW, "carol", START), false)).isInstanceOf(SchedulesFullException.class);

        store.delete(store.list(ALICE).block().get(0).id().toString(), ALICE).block();
        create(every(1000, Overlap.ALLOW));
    }

    @Test
    void aStoreBuiltBeforeTheSchedulersWereReplacedStillTimesItsSchedules() {
        // As in a Spring context cached across test classes: the store is built on Reactor's
        // schedulers (the parallel one cached), then a test swaps them for virtual time, which
        // disposes the cached ones; a timer reference kept from construction would be dead.
        Schedulers.parallel();
        MemoryScheduleStore production = new MemoryScheduleStore(new ScheduleFiring(jobs, meters), new RunStates(jobs),
                new SchedulesProperties(100, 1000, Duration.ofMillis(500)));
        production.start();
        VirtualTimeScheduler virtual = VirtualTimeScheduler.getOrSet();
        try {
            production.create(every(1000, Overlap.ALLOW), false).block(Duration.ofSeconds(5));
            virtual.advanceTimeBy(Duration.ofMillis(1500));

            assertThat(jobs.submitted).hasSize(1);
        }
        finally {
            production.stop();
            VirtualTimeScheduler.reset();
        }
    }
}
