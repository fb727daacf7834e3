package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.Readable;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.asyncpatterns.jobs.JobId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the {@code schedules} and {@code schedule_runs} tables (migration V10), every
 * statement non-blocking and bounded by the store's statement timeout. Reads and writes on behalf
 * of a caller carry the owner condition, so another caller's schedule is simply not there.
 */
class ScheduleRows {

    /** A schedule as its row holds it. */
    record Row(Schedule schedule, boolean paused, Instant nextRunAt) {
    }

    /** A due time this instance claimed: it alone starts its run. */
    record Claimed(Schedule schedule, Instant due, JobId previous) {
    }

    /** A due schedule as the claim read it, with the database's now. */
    private record Due(Row row, Instant now, JobId previous) {
    }

    private static final String OWNED = "(:all OR created_by IS NOT DISTINCT FROM CAST(:caller AS varchar))";

    private final DatabaseClient db;
    private final TransactionalOperator transactions;
    private final JsonMapper mapper;

    ScheduleRows(DatabaseClient db, TransactionalOperator transactions, JsonMapper mapper) {
        this.db = db;
        this.transactions = transactions;
        this.mapper = mapper;
        // Built now, at startup: Jackson builds a root deserializer on first use under a lock, and two
        // claims reading their first rows at once parked an event loop on it (BlockHound saw it).
        mapper.readerFor(ScheduleJob.class);
    }

    /** How many schedules exist, and how many of them {@code owner} has. */
    Mono<long[]> counts(String owner) {
        return db.sql("""
                SELECT count(*) AS total, count(*) FILTER (WHERE created_by IS NOT DISTINCT FROM CAST(:owner AS varchar)) AS mine
                FROM schedules""").bind("owner", Parameter.fromOrEmpty(owner, String.class))
            .map(row -> new long[] {row.get("total", Long.class), row.get("mine", Long.class)}).one();
    }

    /** Inserts the schedule unless either bound is reached meanwhile; whether it was inserted. */
    Mono<Boolean> insert(Schedule schedule, boolean paused, Instant nextRunAt, int maxTotal, int maxPerCaller) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        values.put("id", Parameter.from(schedule.id().value()));
        values.put("name", Parameter.from(schedule.name()));
        values.put("cron", Parameter.fromOrEmpty(schedule.cron(), String.class));
        values.put("everyMs", Parameter.fromOrEmpty(schedule.everyMs(), Long.class));
        values.put("zone", Parameter.from(schedule.timeZone()));
        values.put("job", Parameter.from(mapper.writeValueAsString(schedule.job())));
        values.put("overlap", Parameter.from(schedule.overlap().name()));
        values.put("owner", Parameter.fromOrEmpty(schedule.owner(), String.class));
        values.put("created", Parameter.from(time(schedule.createdAt())));
        values.put("paused", Parameter.from(paused));
        values.put("next", Parameter.fromOrEmpty(time(nextRunAt), OffsetDateTime.class));
        values.put("maxTotal", Parameter.from(maxTotal));
        values.put("maxPerCaller", Parameter.from(maxPerCaller));
        return db.sql("""
                INSERT INTO schedules (id, name, cron, every_ms, time_zone, job, overlap, created_by, created_at, paused,
                    next_run_at)
                SELECT :id, :name, :cron, :everyMs, :zone, CAST(:job AS jsonb), :overlap, :owner, :created, :paused, :next
                WHERE (SELECT count(*) FROM schedules) < :maxTotal
                  AND (SELECT count(*) FROM schedules WHERE created_by IS NOT DISTINCT FROM CAST(:owner AS varchar)) < :maxPerCaller""")
            .bindValues(values).fetch().rowsUpdated().map(inserted -> inserted > 0);
    }

    Mono<Row> find(ScheduleId id, String caller, boolean all) {
        return db.sql("SELECT * FROM schedules WHERE id = :id AND " + OWNED)
            .bind("id", id.value()).bindValues(owner(caller, all)).map(this::row).one();
    }

    Flux<Row> list(String caller, boolean all) {
        return db.sql("SELECT * FROM schedules WHERE " + OWNED + " ORDER BY created_at, id LIMIT 100000")
            .bindValues(owner(caller, all)).map(this::row).all();
    }

    /** Pauses it (no next run); empty when the caller has no such schedule. */
    Mono<Row> pause(ScheduleId id, String caller, boolean all) {
        return db.sql("UPDATE schedules SET paused = true, next_run_at = NULL WHERE id = :id AND " + OWNED + " RETURNING *")
            .bind("id", id.value()).bindValues(owner(caller, all)).map(this::row).one();
    }

    /** Resumes a paused schedule with its next due time; empty when it was not paused (or is gone). */
    Mono<Row> resume(ScheduleId id, Instant next) {
        return db.sql("UPDATE schedules SET paused = false, next_run_at = :next WHERE id = :id AND paused RETURNING *")
            .bind("id", id.value()).bind("next", Parameter.fromOrEmpty(time(next), OffsetDateTime.class))
            .map(this::row).one();
    }

    /** Whether the caller had such a schedule; its runs go with it. */
    Mono<Boolean> delete(ScheduleId id, String caller, boolean all) {
        return db.sql("DELETE FROM schedules WHERE id = :id AND " + OWNED).bind("id", id.value())
            .bindValues(owner(caller, all)).fetch().rowsUpdated().map(deleted -> deleted > 0);
    }

    /** Its newest runs, newest first. */
    Mono<List<ScheduleRun>> runs(ScheduleId id) {
        return db.sql("SELECT * FROM schedule_runs WHERE schedule_id = :id ORDER BY scheduled_for DESC LIMIT :keep")
            .bind("id", id.value()).bind("keep", RunHistory.KEPT).map(ScheduleRows::run).all().collectList();
    }

    /** The job of its newest run that started one, empty when none did. */
    Mono<JobId> previousJob(ScheduleId id) {
        return db.sql("""
                SELECT job_id FROM schedule_runs WHERE schedule_id = :id AND job_id IS NOT NULL
                ORDER BY scheduled_for DESC LIMIT 1""").bind("id", id.value())
            .map(row -> new JobId(row.get("job_id", UUID.class))).one();
    }

    /**
     * Claims up to {@code limit} due schedules in one transaction: each row is locked
     * ({@code FOR UPDATE SKIP LOCKED}, so instances polling together take different rows), its
     * {@code next_run_at} moved to {@code next(schedule, due, now)} and a run row inserted for the
     * due time. The run row's key {@code (schedule_id, scheduled_for)} is the last word: a due time
     * that already has one is never claimed again. A crash after the commit loses that one run (it
     * stays {@code STARTING}), never doubles it.
     */
    Flux<Claimed> claimDue(int limit, Timings next) {
        Flux<Claimed> claims = db.sql("""
                SELECT s.*, clock_timestamp() AS db_now,
                    (SELECT r.job_id FROM schedule_runs r WHERE r.schedule_id = s.id AND r.job_id IS NOT NULL
                     ORDER BY r.scheduled_for DESC LIMIT 1) AS previous_job
                FROM schedules s WHERE NOT s.paused AND s.next_run_at <= now()
                ORDER BY s.next_run_at LIMIT :limit FOR UPDATE OF s SKIP LOCKED""")
            .bind("limit", limit)
            .map(row -> {
                UUID previous = row.get("previous_job", UUID.class);
                return new Due(row(row), instant(row.get("db_now", OffsetDateTime.class)),
                    previous == null ? null : new JobId(previous));
            }).all()
            // Read to the end before the next statement: one connection runs one statement at a time.
            .collectList().flatMapMany(Flux::fromIterable)
            .concatMap(found -> {
                Row due = found.row();
                Instant following = next.following(due.schedule(), due.nextRunAt(), found.now());
                return db.sql("""
                        WITH u AS (UPDATE schedules SET next_run_at = :next WHERE id = :id),
                             i AS (INSERT INTO schedule_runs (schedule_id, scheduled_for, state) VALUES (:id, :due, 'STARTING')
                                   ON CONFLICT DO NOTHING RETURNING 1)
                        SELECT count(*) AS claimed FROM i""")
                    .bind("id", due.schedule().id().value()).bind("due", time(due.nextRunAt()))
                    .bind("next", Parameter.fromOrEmpty(time(following), OffsetDateTime.class))
                    .map(row -> row.get("claimed", Long.class)).one()
                    .filter(claimed -> claimed > 0)
                    .map(claimed -> new Claimed(due.schedule(), due.nextRunAt(), found.previous()));
            });
        return transactions.transactional(claims);
    }

    /** What came of a claimed due time. */
    Mono<Void> finish(ScheduleId id, ScheduleRun run) {
        return db.sql("UPDATE schedule_runs SET job_id = :job, state = :state, detail = :detail "
                + "WHERE schedule_id = :id AND scheduled_for = :due")
            .bind("id", id.value()).bind("due", time(run.scheduledFor())).bindValues(outcome(run))
            .fetch().rowsUpdated().then(prune(id));
    }

    /** A trigger's run, at the database's now (two triggers never share a key). */
    Mono<Void> triggered(ScheduleId id, ScheduleRun run) {
        return db.sql("INSERT INTO schedule_runs (schedule_id, scheduled_for, job_id, state, detail) "
                + "SELECT :id, clock_timestamp(), :job, :state, :detail WHERE EXISTS (SELECT 1 FROM schedules WHERE id = :id)")
            .bind("id", id.value()).bindValues(outcome(run)).fetch().rowsUpdated().then(prune(id));
    }

    /** Keeps the newest runs only, so a schedule that fires forever stays a few rows. */
    private Mono<Void> prune(ScheduleId id) {
        return db.sql("""
                DELETE FROM schedule_runs WHERE schedule_id = :id AND scheduled_for < (
                    SELECT scheduled_for FROM schedule_runs WHERE schedule_id = :id
                    ORDER BY scheduled_for DESC OFFSET :keep LIMIT 1)""")
            .bind("id", id.value()).bind("keep", RunHistory.KEPT - 1).fetch().rowsUpdated().then();
    }

    /** The next due time of a schedule whose due time {@code due} fired at the database's {@code now}. */
    @FunctionalInterface
    interface Timings {
        Instant following(Schedule schedule, Instant due, Instant now);
    }

    private static Map<String, Parameter> owner(String caller, boolean all) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        values.put("all", Parameter.from(all));
        values.put("caller", Parameter.fromOrEmpty(caller, String.class));
        return values;
    }

    private static Map<String, Parameter> outcome(ScheduleRun run) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        values.put("job", Parameter.fromOrEmpty(run.jobId() == null ? null : run.jobId().value(), UUID.class));
        values.put("state", Parameter.from(run.state()));
        values.put("detail", Parameter.fromOrEmpty(run.detail(), String.class));
        return values;
    }

    private Row row(Readable row) {
        Schedule schedule = new Schedule(new ScheduleId(row.get("id", UUID.class)), row.get("name", String.class),
                row.get("cron", String.class), row.get("every_ms", Long.class), row.get("time_zone", String.class),
                mapper.readValue(row.get("job", String.class), ScheduleJob.class),
                Overlap.valueOf(row.get("overlap", String.class)), row.get("created_by", String.class),
                instant(row.get("created_at", OffsetDateTime.class)));
        return new Row(schedule, Boolean.TRUE.equals(row.get("paused", Boolean.class)),
                instant(row.get("next_run_at", OffsetDateTime.class)));
    }

    private static ScheduleRun run(Readable row) {
        UUID job = row.get("job_id", UUID.class);
        return new ScheduleRun(job == null ? null : new JobId(job), instant(row.get("scheduled_for", OffsetDateTime.class)),
                row.get("state", String.class), row.get("detail", String.class));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
