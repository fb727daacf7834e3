package dev.asyncpatterns.cluster;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.jobs.JobId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static dev.asyncpatterns.cluster.JobRows.CHANNEL;

/**
 * The SQL of job leases: an owner renews the leases of the jobs it runs and hands RERUN jobs back
 * when it stops cleanly; any instance's reaper settles expired leases and timeouts and enforces
 * retention, of jobs and of idempotency keys. Each statement that changes what others watch sends
 * its {@code NOTIFY} in the same statement (see {@link JobRows}).
 */
class LeaseRows {

    /** The row's callback, if any, is not PENDING: delivered, given up, or never asked for. */
    private static final String NO_DELIVERY_UNDER_WAY = "NOT EXISTS (SELECT 1 FROM callback_deliveries d"
            + " WHERE d.job_id = jobs.id AND d.state = 'PENDING')";

    private final DatabaseClient db;

    LeaseRows(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Renews the leases of the jobs running here and returns those still ours, each with its
     * cancel flag (the fallback for a lost cancel notification). The rows are locked in id order,
     * as {@link JobRows#finish} locks them: the two write the same rows (a job that has just ended
     * is renewed until its end is written), and in any other order each waited for a row the
     * other held, a deadlock PostgreSQL ended by aborting one of them (W7 found it).
     */
    Flux<Map.Entry<JobId, Boolean>> renew(String self, List<JobId> running, long ttlMs) {
        if (running.isEmpty()) {
            return Flux.empty();
        }
        UUID[] ids = running.stream().map(JobId::value).toArray(UUID[]::new);
        return db.sql("""
                WITH l AS (SELECT id FROM jobs WHERE id = ANY(:ids) AND instance_id = :self AND state = 'RUNNING'
                           ORDER BY id FOR UPDATE)
                UPDATE jobs SET lease_expires_at = now() + :ttl * interval '1 millisecond'
                FROM l WHERE jobs.id = l.id
                RETURNING jobs.id, jobs.cancel_requested""")
            .bind("ttl", ttlMs).bind("ids", ids).bind("self", self)
            .map(row -> Map.entry(new JobId(row.get("id", UUID.class)),
                    Boolean.TRUE.equals(row.get("cancel_requested", Boolean.class))))
            .all();
    }

    /** Hands this instance's RERUN jobs back to PENDING on a clean shutdown, without spending an attempt. */
    Flux<JobId> handBack(String self) {
        return db.sql("""
                WITH u AS (UPDATE jobs SET state = 'PENDING', instance_id = NULL, lease_expires_at = NULL,
                               attempt = attempt - 1, progress_completed = 0, progress_total = NULL
                           WHERE instance_id = :self AND state = 'RUNNING' AND on_instance_loss = 'RERUN'
                             AND NOT cancel_requested
                           RETURNING id)
                SELECT id, pg_notify('%s', 's:' || id::text) AS sent, pg_notify('%s', 'q') AS queued FROM u"""
            .formatted(CHANNEL, CHANNEL))
            .bind("self", self).map(row -> new JobId(row.get("id", UUID.class))).all();
    }

    /**
     * Expired leases: a cancel that was asked for wins (CANCELLED); otherwise FAILED with
     * INSTANCE_LOST, or back to PENDING for RERUN jobs (the next claim counts attempt + 1).
     */
    Mono<Long> reapLost() {
        return JobRows.count(db.sql("""
                WITH u AS (UPDATE jobs SET
                    state = CASE WHEN cancel_requested THEN 'CANCELLED'
                                 WHEN on_instance_loss = 'RERUN' THEN 'PENDING' ELSE 'FAILED' END,
                    cancel_reason = CASE WHEN cancel_requested THEN 'USER' END,
                    error = CASE WHEN NOT cancel_requested AND on_instance_loss = 'FAIL'
                                 THEN jsonb_build_object('type', 'INSTANCE_LOST', 'message',
                                      'instance ' || instance_id || ' stopped renewing its lease') END,
                    finished_at = CASE WHEN cancel_requested OR on_instance_loss = 'FAIL' THEN now() END,
                    instance_id = CASE WHEN NOT cancel_requested AND on_instance_loss = 'RERUN' THEN NULL
                                       ELSE instance_id END,
                    progress_completed = CASE WHEN NOT cancel_requested AND on_instance_loss = 'RERUN' THEN 0
                                              ELSE progress_completed END,
                    lease_expires_at = NULL
                    WHERE state = 'RUNNING' AND lease_expires_at < now()
                    RETURNING id, state)
                SELECT pg_notify('%s', 's:' || id::text) AS sent,
                       CASE WHEN state = 'PENDING' THEN pg_notify('%s', 'q') END AS queued FROM u"""
            .formatted(CHANNEL, CHANNEL)));
    }

    /**
     * {@code timeoutMs} counted from the first start (or the due time or submit, while queued; for a job that
     * retries, from the start or due time of its current attempt), enforced
     * here even when the owner is dead; a second of slack lets a live owner's own timer win. A
     * live owner hears {@code c:id} and stops the work.
     */
    Mono<Long> reapTimedOut() {
        return JobRows.count(db.sql("""
                WITH u AS (UPDATE jobs SET state = 'TIMED_OUT', finished_at = now(), lease_expires_at = NULL
                    WHERE state IN ('PENDING', 'RUNNING') AND timeout_ms IS NOT NULL
                      AND COALESCE(CASE WHEN attempts IS NOT NULL THEN CASE WHEN state = 'RUNNING' THEN started_at ELSE due_at END END,
                                   first_started_at, due_at, created_at) + (timeout_ms + 1000) * interval '1 millisecond' < now()
                    RETURNING id)
                SELECT pg_notify('%s', 'c:' || id::text) AS cancelled, pg_notify('%s', 's:' || id::text) AS sent FROM u"""
            .formatted(CHANNEL, CHANNEL)));
    }

    /**
     * Retention in the database: terminal jobs past the age bound, then the oldest past the count
     * bound; a job whose callback is still being delivered stays until the delivery ends (deleting
     * it would take the delivery row with it), as the memory store delivers whatever retention does.
     */
    Mono<Long> retain(long maxAgeMs, int maxCount) {
        Mono<Long> byAge = db.sql("DELETE FROM jobs WHERE finished_at < now() - :age * interval '1 millisecond' AND "
                + NO_DELIVERY_UNDER_WAY).bind("age", maxAgeMs).fetch().rowsUpdated();
        Mono<Long> byCount = db.sql("""
                DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at IS NOT NULL
                                              ORDER BY finished_at DESC OFFSET :count) AND %s""".formatted(NO_DELIVERY_UNDER_WAY))
            .bind("count", maxCount).fetch().rowsUpdated();
        return byAge.zipWith(byCount, Long::sum);
    }

    /** Idempotency keys past their TTL (or unanswered claims past the admission bound), whatever became of their jobs. */
    Mono<Long> expireIdempotencyKeys() {
        return db.sql("DELETE FROM idempotency_keys WHERE expires_at < now()").fetch().rowsUpdated();
    }
}
