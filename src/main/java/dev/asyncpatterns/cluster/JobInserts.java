package dev.asyncpatterns.cluster;

import java.util.List;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write of submitted jobs: one statement for a whole {@link GroupCommit} batch, the jobs'
 * fields as arrays unnested into rows, with the callback delivery row of each job that asked for
 * one ({@link CallbackRows}) in the same statement.
 */
final class JobInserts {

    private final DatabaseClient db;
    private final JsonMapper mapper;

    JobInserts(DatabaseClient db, JsonMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    /**
     * Stores submitted jobs in one statement (see {@link GroupCommit}): each waiting, or running
     * on {@code owner} under a lease of {@code leaseTtlMs}. If any waits, a {@code q} notification
     * tells the other instances there is work to claim.
     */
    Mono<Void> insert(List<NewJob> jobs) {
        int n = jobs.size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] names = new String[n];
        String[] states = new String[n];
        String[] params = new String[n];
        Long[] timeouts = new Long[n];
        String[] creators = new String[n];
        String[] onLoss = new String[n];
        String[] owners = new String[n];
        Long[] leases = new Long[n];
        Long[] created = new Long[n];
        Long[] started = new Long[n];
        Long[] due = new Long[n];
        String[] retries = new String[n];
        UUID[] schedules = new UUID[n];
        String[] callbacks = new String[n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            JobView view = job.view();
            ids[i] = view.id().value();
            types[i] = view.type();
            names[i] = view.name();
            states[i] = view.state().name();
            params[i] = mapper.writeValueAsString(view.params());
            timeouts[i] = view.timeoutMs();
            creators[i] = view.createdBy();
            onLoss[i] = job.onLoss().name();
            owners[i] = job.owner();
            leases[i] = job.leaseTtlMs();
            created[i] = view.createdAt().toEpochMilli();
            started[i] = view.startedAt() != null ? view.startedAt().toEpochMilli() : null;
            due[i] = view.nextAttemptAt() != null ? view.nextAttemptAt().toEpochMilli() : null;
            retries[i] = job.retry() != null ? mapper.writeValueAsString(job.retry()) : null;
            schedules[i] = view.scheduleId() != null ? UUID.fromString(view.scheduleId()) : null;
            callbacks[i] = job.callbackUrl();
        }
        return JobRows.count(db.sql("""
                WITH v AS (SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS varchar[]), CAST(:names AS varchar[]),
                    CAST(:states AS varchar[]), CAST(:params AS text[]), CAST(:timeouts AS bigint[]),
                    CAST(:creators AS varchar[]), CAST(:onLoss AS varchar[]), CAST(:owners AS varchar[]),
                    CAST(:leases AS bigint[]), CAST(:created AS bigint[]), CAST(:started AS bigint[]),
                    CAST(:due AS bigint[]), CAST(:retries AS text[]), CAST(:callbacks AS varchar[]),
                    CAST(:schedules AS uuid[]))
                    AS v(id, type, name, state, params, timeout, creator, on_loss, owner, lease, created, started, due,
                         retry, callback, schedule)),
                i AS (INSERT INTO jobs (id, type, name, state, params, timeout_ms, created_by, on_instance_loss,
                    instance_id, attempt, lease_expires_at, created_at, started_at, first_started_at, due_at, retry,
                    attempts, schedule_id)
                SELECT id, type, name, state, params::jsonb, timeout, creator, on_loss, owner,
                    CASE WHEN owner IS NULL THEN 0 ELSE 1 END, now() + lease * interval '1 millisecond',
                    to_timestamp(created / 1000.0), to_timestamp(started / 1000.0), to_timestamp(started / 1000.0),
                    to_timestamp(due / 1000.0), retry::jsonb, CASE WHEN retry IS NULL THEN NULL ELSE '[]'::jsonb END,
                    schedule
                FROM v
                RETURNING state),
                c AS (%s)
                SELECT pg_notify('%s', 'q') AS queued FROM (SELECT 1 FROM i WHERE state = 'PENDING' LIMIT 1) waiting"""
            .formatted(CallbackRows.INSERT_FROM_V, JobRows.CHANNEL))
            .bind("ids", ids).bind("types", types).bind("names", names).bind("states", states)
            .bind("params", params).bind("timeouts", timeouts).bind("creators", creators).bind("onLoss", onLoss)
            .bind("owners", owners).bind("leases", leases).bind("created", created).bind("started", started)
            .bind("due", due).bind("retries", retries).bind("callbacks", callbacks).bind("schedules", schedules))
            .then();
    }
}
