package dev.asyncpatterns.cluster;

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

import dev.asyncpatterns.callbacks.CallbackView;
import dev.asyncpatterns.jobs.CancelReason;
import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobAttempt;
import dev.asyncpatterns.jobs.JobError;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.RetryPolicy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the {@code jobs} table as submits, reads, claims and owners use it, every statement
 * non-blocking (R2DBC) and bounded by the connection factory's statement timeout (see
 * {@link PostgresStoreConfiguration}); leases and the reaper are {@link LeaseRows}, the members
 * {@link InstanceRows}.
 * Writes by an owner are guarded by {@code instance_id} and {@code attempt}, so an instance that
 * lost a job (its lease expired, it was handed back) can never overwrite what happened next.
 * Every statement that changes what others watch also sends its {@code NOTIFY}, in the same
 * statement and so in the same transaction.
 */
class JobRows {

    /**
     * The one notification channel; payloads are {@code q}, {@code s:id}, {@code c:id}, {@code p:id:completed:total},
     * and {@code d} (a callback delivery started, see {@link CallbackRows}).
     */
    static final String CHANNEL = "asyncpatterns_jobs";

    private static final String NOTIFY_STATE = "SELECT pg_notify('" + CHANNEL + "', 's:' || id::text) AS sent FROM u";

    private final DatabaseClient db;
    private final JsonMapper mapper;
    private final JobInserts inserts;

    JobRows(DatabaseClient db, JsonMapper mapper) {
        this.db = db;
        this.mapper = mapper;
        this.inserts = new JobInserts(db, mapper);
    }

    /** The write of submitted jobs, one statement per batch. */
    JobInserts inserts() {
        return inserts;
    }

    /** Jobs waiting for a slot anywhere in the cluster. */
    Mono<Long> pendingCount() {
        return db.sql("SELECT count(*) FROM jobs WHERE state = 'PENDING'").mapValue(Long.class).one();
    }

    Mono<JobRow> find(JobId id) {
        return db.sql("SELECT " + CallbackRows.JOBS_WITH_CALLBACKS + " WHERE j.id = :id").bind("id", id.value())
            .map(this::rowWithCallback).one();
    }

    Flux<JobRow> list(JobState state, String type, int limit, String caller, boolean all) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        values.put("state", Parameter.fromOrEmpty(state != null ? state.name() : null, String.class));
        values.put("type", Parameter.fromOrEmpty(type, String.class));
        values.put("all", Parameter.from(all));
        values.put("caller", Parameter.fromOrEmpty(caller, String.class));
        values.put("limit", Parameter.from(limit));
        return db.sql("""
                SELECT %s
                WHERE (CAST(:state AS varchar) IS NULL OR j.state = :state)
                  AND (CAST(:type AS varchar) IS NULL OR j.type = :type)
                  AND (:all OR j.created_by IS NOT DISTINCT FROM CAST(:caller AS varchar))
                ORDER BY j.seq DESC LIMIT :limit""".formatted(CallbackRows.JOBS_WITH_CALLBACKS)).bindValues(values)
            .map(this::rowWithCallback).all();
    }

    /**
     * SCHEDULED or PENDING to CANCELLED directly: nobody runs it yet, and a scheduled one is never
     * promoted. Empty when it is neither any more.
     */
    Mono<JobRow> cancelWaiting(JobId id, Instant now) {
        return one(db.sql("""
                WITH u AS (UPDATE jobs SET state = 'CANCELLED', cancel_reason = 'USER', finished_at = :now
                           WHERE id = :id AND state IN ('SCHEDULED', 'PENDING') RETURNING *),
                     n AS (SELECT pg_notify('%s', 's:' || id::text) FROM u)
                SELECT u.* FROM u, (SELECT count(*) FROM n) sent""".formatted(CHANNEL))
            .bind("id", id.value()).bind("now", time(now)));
    }

    /** Asks the owner to cancel: the flag for its heartbeat and a NOTIFY, in one transaction. */
    Mono<Long> requestCancel(JobId id) {
        return count(db.sql("""
                WITH u AS (UPDATE jobs SET cancel_requested = true WHERE id = :id AND state = 'RUNNING' RETURNING id)
                SELECT pg_notify('%s', 'c:' || id::text) AS sent FROM u""".formatted(CHANNEL)).bind("id", id.value()));
    }

    /** Removes a job a submit could not start after all (refused by a quota, say): as if never submitted. */
    Mono<Long> delete(JobId id) {
        return db.sql("DELETE FROM jobs WHERE id = :id").bind("id", id.value()).fetch().rowsUpdated()
            ;
    }

    /** Forgets a terminal job; 0 when it is not (or no longer) terminal. */
    Mono<Long> deleteTerminal(JobId id) {
        return db.sql("DELETE FROM jobs WHERE id = :id AND state NOT IN ('SCHEDULED', 'PENDING', 'RUNNING')")
            .bind("id", id.value()).fetch().rowsUpdated();
    }

    /**
     * The oldest PENDING jobs, at most {@code limit}, now RUNNING here; rows others are claiming
     * are skipped. The start is kept in milliseconds, as the registry that runs the job keeps it,
     * so every instance shows the same {@code startedAt}.
     */
    Flux<JobRow> claim(String self, int limit, long ttlMs) {
        return many(db.sql("""
                UPDATE jobs SET state = 'RUNNING', instance_id = :self, attempt = attempt + 1,
                    lease_expires_at = now() + :ttl * interval '1 millisecond',
                    started_at = date_trunc('milliseconds', now()),
                    first_started_at = COALESCE(first_started_at, date_trunc('milliseconds', now())),
                    progress_completed = 0, progress_total = NULL
                WHERE id IN (SELECT id FROM jobs WHERE state = 'PENDING' ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING *""").bind("self", self).bind("limit", limit).bind("ttl", ttlMs));
    }

    /** Throttled progress of a job running here. */
    Mono<Long> progress(JobId id, String self, int attempt, long completed, Long total) {
        return count(db.sql("""
                WITH u AS (UPDATE jobs SET progress_completed = :completed, progress_total = :total
                           WHERE id = :id AND instance_id = :self AND attempt = :attempt AND state = 'RUNNING'
                           RETURNING id)
                SELECT pg_notify('%s', 'p:' || id::text || ':' || :completed || ':' || COALESCE(:total, 0)) AS sent FROM u"""
            .formatted(CHANNEL))
            .bindValues(Map.of("id", Parameter.from(id.value()), "self", Parameter.from(self), "attempt",
                    Parameter.from(attempt), "completed", Parameter.from(completed), "total",
                    Parameter.fromOrEmpty(total, Long.class))));
    }

    /**
     * The terminal states of jobs that ran here, in one statement (see {@link GroupCommit}). The
     * rows are locked in id order first, as {@link LeaseRows#renew} locks them (it says why).
     */
    Mono<Void> finish(String self, List<Finished> jobs) {
        int n = jobs.size();
        UUID[] ids = new UUID[n];
        Integer[] attempts = new Integer[n];
        String[] states = new String[n];
        String[] results = new String[n];
        String[] errors = new String[n];
        String[] reasons = new String[n];
        Long[] finished = new Long[n];
        Long[] completed = new Long[n];
        Long[] totals = new Long[n];
        for (int i = 0; i < n; i++) {
            JobView view = jobs.get(i).view();
            ids[i] = view.id().value();
            attempts[i] = jobs.get(i).attempt();
            states[i] = view.state().name();
            results[i] = view.result() != null ? mapper.writeValueAsString(view.result()) : null;
            errors[i] = view.error() != null ? mapper.writeValueAsString(view.error()) : null;
            reasons[i] = view.cancelReason() != null ? view.cancelReason().name() : null;
            finished[i] = view.finishedAt().toEpochMilli();
            completed[i] = view.progress().completed();
            totals[i] = view.progress().total();
        }
        return count(db.sql("""
                WITH v AS (SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:attempts AS integer[]),
                               CAST(:states AS varchar[]), CAST(:results AS text[]), CAST(:errors AS text[]),
                               CAST(:reasons AS varchar[]), CAST(:finished AS bigint[]), CAST(:completed AS bigint[]),
                               CAST(:totals AS bigint[]))
                           AS v(id, attempt, state, result, error, reason, finished, completed, total)),
                     l AS (SELECT j.id FROM jobs j JOIN v ON j.id = v.id
                           WHERE j.instance_id = :self AND j.attempt = v.attempt AND j.state = 'RUNNING'
                           ORDER BY j.id FOR UPDATE OF j),
                     u AS (UPDATE jobs j SET
                               state = CASE WHEN %1$s THEN 'SCHEDULED' ELSE v.state END,
                               due_at = CASE WHEN %1$s THEN %2$s ELSE j.due_at END,
                               attempts = %3$s,
                               instance_id = CASE WHEN %1$s THEN NULL ELSE j.instance_id END,
                               result = v.result::jsonb, error = CASE WHEN %1$s THEN NULL ELSE v.error::jsonb END,
                               cancel_reason = v.reason,
                               finished_at = CASE WHEN %1$s THEN NULL ELSE to_timestamp(v.finished / 1000.0) END,
                               progress_completed = v.completed, progress_total = v.total, lease_expires_at = NULL
                           FROM v JOIN l ON l.id = v.id
                           WHERE j.id = v.id AND j.instance_id = :self AND j.attempt = v.attempt AND j.state = 'RUNNING'
                           RETURNING j.id)
                """.formatted(RetryRows.retries("v.state"), RetryRows.NEXT_DUE,
                    RetryRows.ended("v.state", "v.error::jsonb", "to_timestamp(v.finished / 1000.0)")) + NOTIFY_STATE)
            .bind("ids", ids).bind("attempts", attempts).bind("states", states).bind("results", results)
            .bind("errors", errors).bind("reasons", reasons).bind("finished", finished).bind("completed", completed)
            .bind("totals", totals).bind("self", self)).then();
    }

    /** Puts back a claimed job this instance could not start after all. */
    Mono<Long> release(JobId id, String self) {
        return count(db.sql("""
                WITH u AS (UPDATE jobs SET state = 'PENDING', instance_id = NULL, lease_expires_at = NULL,
                               attempt = attempt - 1
                           WHERE id = :id AND instance_id = :self AND state = 'RUNNING' RETURNING id)
                SELECT pg_notify('%s', 'q') AS sent FROM u""".formatted(CHANNEL))
            .bind("id", id.value()).bind("self", self));
    }

    Mono<Integer> ping() {
        return db.sql("SELECT 1").mapValue(Integer.class).one();
    }

    private Mono<JobRow> one(DatabaseClient.GenericExecuteSpec spec) {
        return spec.map(this::row).one();
    }

    private Flux<JobRow> many(DatabaseClient.GenericExecuteSpec spec) {
        return spec.map(this::row).all();
    }

    /** Runs a statement that returns one row per change (its NOTIFYs) and counts them. */
    static Mono<Long> count(DatabaseClient.GenericExecuteSpec spec) {
        return spec.map(row -> 1L).all().count();
    }

    /** A row read with {@link CallbackRows#JOBS_WITH_CALLBACKS}: the job JSON shows its callback, if it has one. */
    private JobRow rowWithCallback(Readable row) {
        JobRow job = row(row);
        CallbackView callback = CallbackRows.view(row);
        return callback == null ? job : job.withView(job.view().withCallback(callback));
    }

    /** A row of {@code jobs} (every column, {@code SELECT *} or {@code RETURNING *}) as the store needs it. */
    JobRow row(Readable row) {
        String instance = row.get("instance_id", String.class);
        Long total = row.get("progress_total", Long.class);
        String reason = row.get("cancel_reason", String.class);
        JobState state = JobState.valueOf(row.get("state", String.class));
        Instant due = instant(row.get("due_at", OffsetDateTime.class));
        JobView view = new JobView(new JobId(row.get("id", UUID.class)), row.get("type", String.class),
                row.get("name", String.class), state,
                tree(row.get("params", String.class)), row.get("timeout_ms", Long.class),
                new JobView.Progress(row.get("progress_completed", Long.class), total),
                tree(row.get("result", String.class)), error(row.get("error", String.class)),
                reason != null ? CancelReason.valueOf(reason) : null,
                instant(row.get("created_at", OffsetDateTime.class)), instant(row.get("started_at", OffsetDateTime.class)),
                instant(row.get("finished_at", OffsetDateTime.class)), row.get("created_by", String.class), instance,
                row.get("attempt", Integer.class), state == JobState.SCHEDULED ? due : null);
        UUID schedule = row.get("schedule_id", UUID.class);
        if (schedule != null) {
            view = view.scheduledBy(schedule.toString());
        }
        RetryPolicy retry = policy(row.get("retry", String.class));
        List<JobAttempt> attempts = RetryRows.attempts(tree(row.get("attempts", String.class)));
        if (attempts != null) {
            view = view.withAttempts(view.attempt(), retry != null ? retry.maxAttempts() : 1, attempts);
        }
        boolean requeued = Boolean.TRUE.equals(row.get("requeued", Boolean.class));
        return new JobRow(view, InstanceLossPolicy.valueOf(row.get("on_instance_loss", String.class)),
                Boolean.TRUE.equals(row.get("cancel_requested", Boolean.class)), due, requeued ? null : retry);
    }

    private RetryPolicy policy(String json) {
        return json == null ? null : mapper.readValue(json, RetryPolicy.class);
    }

    private JsonNode tree(String json) {
        return json == null ? null : mapper.readTree(json);
    }

    private JobError error(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node = mapper.readTree(json);
        return new JobError(node.path("type").asString(), node.path("message").asString());
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** The end of a job that ran here, in the attempt this instance owned. */
    record Finished(JobView view, int attempt) {
    }
}
