package dev.asyncpatterns.cluster;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.r2dbc.spi.Readable;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;

import dev.asyncpatterns.callbacks.Callback;
import dev.asyncpatterns.callbacks.CallbackState;
import dev.asyncpatterns.callbacks.CallbackTry;
import dev.asyncpatterns.callbacks.CallbackView;
import dev.asyncpatterns.jobs.JobId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The SQL of completion callbacks with {@code store=postgres} (V9): a job's delivery is a row of
 * {@code callback_deliveries}, stored with the job ({@link #INSERT_FROM_V} in
 * {@link JobRows#insert}) and started by the trigger {@code jobs_ended_callback} in whichever
 * statement ends the job. Due rows are claimed oldest first with {@code FOR UPDATE SKIP LOCKED},
 * so instances claiming at once take different rows; a claim pushes the row's due time past the
 * longest a try may take, which is its lease: the claimer records the outcome before it runs out,
 * or, dead, lets another instance take the delivery over.
 */
class CallbackRows {

    /** The select list and join that show each job with its callback: append a WHERE on {@code j}. */
    static final String JOBS_WITH_CALLBACKS = "j.*, d.url AS callback_url, d.state AS callback_state,"
            + " d.attempts AS callback_attempts, d.last_status AS callback_last_status,"
            + " d.delivered_at AS callback_delivered_at FROM jobs j LEFT JOIN callback_deliveries d ON d.job_id = j.id";

    /** The delivery rows of the submitted jobs in {@code v} (the unnest of {@link JobRows#insert}) that have a callback. */
    static final String INSERT_FROM_V = "INSERT INTO callback_deliveries (job_id, url) SELECT id, callback FROM v"
            + " WHERE callback IS NOT NULL";

    private final DatabaseClient db;
    private final Function<Readable, JobRow> jobs;

    /** @param jobs reads a {@code jobs} row, to build the job JSON a delivery sends */
    CallbackRows(DatabaseClient db, Function<Readable, JobRow> jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    /** The callback of a row read with {@link #JOBS_WITH_CALLBACKS}; null for a job without one. */
    static CallbackView view(Readable row) {
        String url = row.get("callback_url", String.class);
        if (url == null) {
            return null;
        }
        return new CallbackView(url, CallbackState.valueOf(row.get("callback_state", String.class)),
                row.get("callback_attempts", Integer.class), row.get("callback_last_status", Integer.class),
                JobRows.instant(row.get("callback_delivered_at", OffsetDateTime.class)));
    }

    /**
     * Takes up to {@code limit} due deliveries, oldest due first, for one try each by {@code self}:
     * counts the try and leases the row for {@code leaseMs}. Each comes with its ended job.
     */
    Flux<Claimed> claim(String self, int limit, long leaseMs) {
        return db.sql("""
                WITH c AS (UPDATE callback_deliveries SET attempts = attempts + 1, instance_id = :self,
                               next_attempt_at = now() + :lease * interval '1 millisecond'
                           WHERE job_id IN (SELECT job_id FROM callback_deliveries
                                            WHERE state = 'PENDING' AND next_attempt_at <= now()
                                            ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                           RETURNING job_id, url, delivery, attempts)
                SELECT j.*, c.url AS claimed_url, c.delivery AS claimed_delivery, c.attempts AS claimed_attempt
                FROM c JOIN jobs j ON j.id = c.job_id""")
            .bind("self", self).bind("lease", leaseMs).bind("limit", limit)
            .map(row -> {
                JobRow job = jobs.apply(row);
                return new Claimed(job, row.get("claimed_url", String.class),
                        Callback.webhookId(job.view().id().toString(), row.get("claimed_delivery", Integer.class)),
                        row.get("claimed_delivery", Integer.class), row.get("claimed_attempt", Integer.class));
            })
            .all();
    }

    /**
     * Records how the claimed try went: DELIVERED, FAILED, or PENDING again, due after the backoff.
     * Guarded by the claim: 0 when the row was taken over meanwhile (this instance's lease ran out).
     */
    Mono<Long> record(Claimed claimed, String self, CallbackTry outcome) {
        Map<String, Parameter> values = new LinkedHashMap<>();
        values.put("state", Parameter.from(outcome.state().name()));
        values.put("status", Parameter.fromOrEmpty(outcome.status(), Integer.class));
        values.put("deliveredAt", Parameter.fromOrEmpty(JobRows.time(outcome.deliveredAt()), OffsetDateTime.class));
        values.put("retry", Parameter.fromOrEmpty(outcome.retryIn() != null ? outcome.retryIn().toMillis() : null,
                Long.class));
        values.put("id", Parameter.from(claimed.job().view().id().value()));
        values.put("self", Parameter.from(self));
        values.put("delivery", Parameter.from(claimed.delivery()));
        values.put("attempt", Parameter.from(claimed.attempt()));
        return db.sql("""
                UPDATE callback_deliveries SET state = :state, last_status = :status, delivered_at = :deliveredAt,
                    next_attempt_at = now() + CAST(:retry AS bigint) * interval '1 millisecond', instance_id = NULL
                WHERE job_id = :id AND instance_id = :self AND delivery = :delivery AND attempts = :attempt
                  AND state = 'PENDING'""")
            .bindValues(values).fetch().rowsUpdated();
    }

    /**
     * Starts a new delivery of an ended job's callback (a new {@code webhook-id}), unless one is
     * under way; true when one started. Empty when the job has no callback or is not terminal.
     */
    Mono<Boolean> redeliver(JobId id) {
        return db.sql("""
                SELECT callback_delivery_start(d.job_id) AS started FROM callback_deliveries d JOIN jobs j ON j.id = d.job_id
                WHERE d.job_id = :id AND j.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')""")
            .bind("id", id.value()).map(row -> row.get("started", Boolean.class)).one();
    }

    /**
     * On shutdown, the tries still under way here (abandoned past the grace period) come due at
     * once, so another instance takes them over without waiting for their lease.
     */
    Mono<Long> release(String self) {
        return db.sql("""
                UPDATE callback_deliveries SET next_attempt_at = now(), instance_id = NULL
                WHERE instance_id = :self AND state = 'PENDING'""")
            .bind("self", self).fetch().rowsUpdated();
    }

    /**
     * One claimed try: the ended job, where it goes, which delivery and which try of it.
     *
     * @param webhookId the same on every try of {@code delivery}
     * @param attempt this try's number in its delivery, from 1
     */
    record Claimed(JobRow job, String url, String webhookId, int delivery, int attempt) {
    }
}
