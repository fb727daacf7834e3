package dev.asyncpatterns.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.asyncpatterns.cluster.SharedPostgres;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Schedules in PostgreSQL (embedded): two stores over one database stand for two instances, each
 * with its own job store, so every job either starts is counted where it started. Due times are
 * set in the table rather than waited for; a pass is called rather than polled.
 */
class PostgresScheduleStoreTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JobCaller ALICE = new JobCaller("alice", false);

    private String database;
    private DatabaseClient db;
    private final FakeJobStore jobsA = new FakeJobStore();
    private final FakeJobStore jobsB = new FakeJobStore();
    private PostgresScheduleStore a;
    private PostgresScheduleStore b;

    @BeforeEach
    void setUp() {
        database = SharedPostgres.newDatabase();
        Flyway.configure().dataSource(SharedPostgres.server().getDatabase("postgres", database)).load().migrate();
        PostgresqlConnectionFactory connections = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
            .builder().host("localhost").port(SharedPostgres.server().getPort()).database(database)
            .username("postgres").password("postgres").statementTimeout(Duration.ofSeconds(5)).build());
        db = DatabaseClient.create(connections);
        a = store(connections, jobsA);
        b = store(connections, jobsB);
    }

    private static PostgresScheduleStore store(PostgresqlConnectionFactory connections, FakeJobStore jobs) {
        ScheduleRows rows = new ScheduleRows(DatabaseClient.create(connections),
                TransactionalOperator.create(new R2dbcTransactionManager(connections)), MAPPER);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new PostgresScheduleStore(rows, new ScheduleFiring(jobs, meters), new RunStates(jobs),
                new SchedulesProperties(2, 100, POLL));
    }

    private static Schedule schedule(String cron, Long everyMs, Overlap overlap) {
        return new Schedule(ScheduleId.random(), "nightly", cron, everyMs, "UTC",
                new ScheduleJob("sleep", MAPPER.readTree("{\"durationMs\": 10}"), null, null), overlap, "alice",
                Instant.now());
    }

    private void dueAt(ScheduleView schedule, String instant) {
        db.sql("UPDATE schedules SET next_run_at = CAST(:at AS timestamptz) WHERE id = :id").bind("at", instant)
            .bind("id", schedule.id().value()).fetch().rowsUpdated().block(BLOCK);
    }

    private void bothPass() {
        Mono.when(a.pass(), b.pass()).block(BLOCK);
    }

    private int started() {
        return jobsA.submitted.size() + jobsB.submitted.size();
    }

    @Test
    void eachDueTimeStartsExactlyOneJobWhicheverInstancesPoll() {
        ScheduleView schedule = a.create(schedule(null, 3_600_000L, Overlap.ALLOW), false).block(BLOCK);
        for (int hour = 1; hour <= 6; hour++) {
            dueAt(schedule, "2026-01-01T0" + hour + ":00:00Z");
            bothPass();
            bothPass();
            assertThat(started()).isEqualTo(hour);
        }
        // A due time that has its run already is never claimed again.
        dueAt(schedule, "2026-01-01T03:00:00Z");
        bothPass();
        assertThat(started()).isEqualTo(6);

        List<ScheduleRun> runs = b.get(schedule.id().toString(), ALICE).block(BLOCK).lastRuns();
        assertThat(runs).hasSize(6).allSatisfy(run -> assertThat(run.jobId()).isNotNull());
        assertThat(runs.get(0).scheduledFor()).isEqualTo(Instant.parse("2026-01-01T06:00:00Z"));
        // Whichever instance claimed a run, the job it started names the schedule.
        assertThat(Stream.concat(jobsA.submitted.stream(), jobsB.submitted.stream()))
            .extracting(FakeJobStore.Submitted::scheduleId).hasSize(6).containsOnly(schedule.id().toString());
    }

    @Test
    void afterAnOutageOneCatchUpRunStartsAndTheNextTimeIsAfterNow() {
        ScheduleView schedule = a.create(schedule("0 0 * * * *", null, Overlap.ALLOW), false).block(BLOCK);
        db.sql("UPDATE schedules SET next_run_at = now() - interval '5 hours' WHERE id = :id")
            .bind("id", schedule.id().value()).fetch().rowsUpdated().block(BLOCK);

        bothPass();
        bothPass();
        bothPass();

        assertThat(started()).isEqualTo(1);
        ScheduleView after = b.get(schedule.id().toString(), ALICE).block(BLOCK);
        assertThat(after.nextRunAt()).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void aStopLetsThePassUnderWayStartWhatItClaimed() throws Exception {
        ScheduleView schedule = a.create(schedule(null, 3_600_000L, Overlap.ALLOW), false).block(BLOCK);
        Sinks.Empty<Void> release = Sinks.empty();
        jobsA.holdSubmitsUntil(release.asMono());
        dueAt(schedule, "2026-01-01T00:00:00Z");
        a.start();
        await().atMost(BLOCK).until(() -> jobsA.asked.get() == 1);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(a::stop);
        // The claim is committed and its submit held: the stop waits for it rather than cutting it short.
        assertThatThrownBy(() -> stopped.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        release.tryEmitEmpty();
        stopped.get(30, TimeUnit.SECONDS);

        assertThat(a.isRunning()).isFalse();
        assertThat(jobsA.submitted).singleElement()
            .satisfies(job -> assertThat(job.scheduleId()).isEqualTo(schedule.id().toString()));
        ScheduleRun run = b.get(schedule.id().toString(), ALICE).block(BLOCK).lastRuns().get(0);
        assertThat(run.jobId()).isEqualTo(jobsA.submitted.get(0).id());
        assertThat(run.scheduledFor()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        // No pass after the stop: a due time now is left to the other instances.
        dueAt(schedule, "2026-01-01T01:00:00Z");
        await().during(POLL.multipliedBy(3)).atMost(BLOCK).until(() -> jobsA.asked.get() == 1);
    }

    @Test
    void aScheduleOutlivesTheInstanceThatCreatedIt() {
        ScheduleView schedule = a.create(schedule(null, 1000L, Overlap.ALLOW), false).block(BLOCK);
        a.stop();
        dueAt(schedule, "2026-01-01T00:00:00Z");

        b.pass().block(BLOCK);

        assertThat(jobsA.submitted).isEmpty();
        assertThat(jobsB.submitted).singleElement()
            .satisfies(job -> assertThat(job.scheduleId()).isEqualTo(schedule.id().toString()));
    }

    @Test
    void skipRecordsASkippedRunWhileThePreviousIsActive() {
        ScheduleView schedule = a.create(schedule(null, 1000L, Overlap.SKIP), false).block(BLOCK);
        dueAt(schedule, "2026-01-01T01:00:00Z");
        a.pass().block(BLOCK);
        dueAt(schedule, "2026-01-01T02:00:00Z");
        // The same instance: its job store (standing in for the shared one) knows the previous run.
        a.pass().block(BLOCK);

        assertThat(started()).isEqualTo(1);
        assertThat(a.get(schedule.id().toString(), ALICE).block(BLOCK).lastRuns()).extracting(ScheduleRun::state)
            .containsExactly("SKIPPED", "RUNNING");
    }

    @Test
    void pauseResumeTriggerDeleteAndOwnership() {
        ScheduleView schedule = a.create(schedule(null, 60_000L, Overlap.SKIP), false).block(BLOCK);
        String id = schedule.id().toString();
        JobCaller bob = new JobCaller("bob", false);
        assertThatThrownBy(() -> b.get(id, bob).block(BLOCK)).isInstanceOf(ScheduleNotFoundException.class);
        assertThatThrownBy(() -> b.pause(id, bob).block(BLOCK)).isInstanceOf(ScheduleNotFoundException.class);
        assertThat(b.list(bob).block(BLOCK)).isEmpty();

        ScheduleView paused = b.pause(id, ALICE).block(BLOCK);
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextRunAt()).isNull();
        ScheduleView resumed = a.resume(id, ALICE).block(BLOCK);
        assertThat(resumed.nextRunAt()).isAfter(Instant.now().plusSeconds(50));

        JobView job = b.trigger(id, ALICE).block(BLOCK);
        assertThat(job.scheduleId()).isEqualTo(id);
        jobsB.end(job.id(), JobState.SUCCEEDED);
        assertThat(b.list(ALICE).block(BLOCK)).singleElement()
            .satisfies(listed -> assertThat(listed.lastRuns()).extracting(ScheduleRun::state).containsExactly("SUCCEEDED"));

        assertThatThrownBy(() -> b.delete(id, bob).block(BLOCK)).isInstanceOf(ScheduleNotFoundException.class);
        a.delete(id, ALICE).block(BLOCK);
        assertThatThrownBy(() -> b.get(id, ALICE).block(BLOCK)).isInstanceOf(ScheduleNotFoundException.class);
    }

    @Test
    void theQuotaPerCallerIsSharedByEveryInstance() {
        a.create(schedule(null, 60_000L, Overlap.SKIP), false).block(BLOCK);
        b.create(schedule(null, 60_000L, Overlap.SKIP), false).block(BLOCK);

        assertThatThrownBy(() -> a.create(schedule(null, 60_000L, Overlap.SKIP), false).block(BLOCK))
            .hasMessageContaining("schedules.max-per-caller");
    }
}
