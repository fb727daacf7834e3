package dev.asyncpatterns.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.jobs.JobAttempt;
import dev.asyncpatterns.jobs.JobError;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.RetryPolicy;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.cluster.JobRows.CHANNEL;

/**
 * Whole-job retries in the {@code jobs} table (V8): the row keeps its policy ({@code retry}) and
 * the attempts that ended ({@code attempts}). When an attempt ends in a state its policy retries,
 * the very statement that records the end (the owner's finish, or the reaper settling a lost
 * instance's lease, where the loss counts as a FAILED attempt) makes the row SCHEDULED with
 * {@code due_at} = now + the backoff of {@link RetryPolicy#delayMs}, computed here in SQL by the
 * same formula; {@link DuePromotion} and the claims then start the next attempt once, on any
 * instance. A watcher never sees a terminal state in between.
 */
class RetryRows {

    /**
     * Whether the attempt of row {@code j} that ended in {@code state} (an SQL expression) runs
     * again: a policy, no requeue, attempts left, the state listed, no cancel asked for.
     */
    static String retries(String state) {
        return "(j.retry IS NOT NULL AND NOT j.requeued AND NOT j.cancel_requested"
                + " AND j.attempt < (j.retry->>'maxAttempts')::int AND (j.retry->'retryOn') @> jsonb_build_array(" + state + "))";
    }

    /** When the next attempt of row {@code j} is due: {@link RetryPolicy#delayMs} with a random factor. */
    static final String NEXT_DUE = "now() + round(least((j.retry->>'maxBackoffMs')::float8,"
            + " (j.retry->>'backoffMs')::float8 * power(2, least(j.attempt - 1, 40)))"
            + " * (1 - (j.retry->>'jitter')::float8 * random())) * interval '1 millisecond'";

    /**
     * Row {@code j}'s attempts with its current attempt appended, ended in {@code state} with
     * {@code error} (jsonb) at {@code finished} (timestamptz); the oldest dropped past 20. NULL stays
     * NULL: a job without retries keeps no attempts.
     */
    static String ended(String state, String error, String finished) {
        return "CASE WHEN j.attempts IS NULL THEN NULL ELSE (CASE WHEN jsonb_array_length(j.attempts) >= "
                + RetryPolicy.MAX_ATTEMPTS + " THEN j.attempts - 0 ELSE j.attempts END) || jsonb_build_array("
                + "jsonb_build_object('attempt', j.attempt, 'state', " + state + ", 'error', " + error
                + ", 'startedAt', " + millis("j.started_at") + ", 'finishedAt', " + millis(finished) + ")) END";
    }

    private final DatabaseClient db;

    RetryRows(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Expired leases of jobs that keep attempts: the lost attempt ended FAILED with
     * {@code INSTANCE_LOST}, then SCHEDULED for the next if the policy retries it, otherwise FAILED
     * for good (whatever {@code onInstanceLoss} says: the policy decides). A cancel asked for is
     * left to {@link LeaseRows#reapLost()}. Returns how many were scheduled again.
     */
    Mono<Long> reapLost() {
        String lost = "jsonb_build_object('type', 'INSTANCE_LOST', 'message', 'instance ' || j.instance_id"
                + " || ' stopped renewing its lease')";
        return db.sql("""
                WITH u AS (UPDATE jobs j SET
                    state = CASE WHEN %1$s THEN 'SCHEDULED' ELSE 'FAILED' END,
                    due_at = CASE WHEN %1$s THEN %2$s ELSE j.due_at END,
                    error = CASE WHEN %1$s THEN NULL ELSE %3$s END,
                    finished_at = CASE WHEN %1$s THEN NULL ELSE now() END,
                    attempts = %4$s,
                    instance_id = CASE WHEN %1$s THEN NULL ELSE j.instance_id END,
                    progress_completed = CASE WHEN %1$s THEN 0 ELSE j.progress_completed END,
                    lease_expires_at = NULL
                    WHERE j.state = 'RUNNING' AND j.lease_expires_at < now() AND j.attempts IS NOT NULL
                      AND NOT j.cancel_requested
                    RETURNING j.id, j.state),
                     n AS (SELECT pg_notify('%5$s', 's:' || id::text), state FROM u)
                SELECT count(*) FILTER (WHERE state = 'SCHEDULED') AS scheduled FROM n"""
            .formatted(retries("'FAILED'"), NEXT_DUE, lost, ended("'FAILED'", lost, "now()"), CHANNEL))
            .map(row -> row.get("scheduled", Long.class)).one();
    }

    /**
     * {@code POST /api/jobs/{id}/retry}: a FAILED, TIMED_OUT or CANCELLED row is SCHEDULED again,
     * due now, as one more attempt without a backoff budget; a job that kept no attempts starts
     * keeping them with the one it ran. Empty when the row is in any other state.
     */
    Mono<JobId> requeue(JobId id) {
        String first = "CASE WHEN j.started_at IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object("
                + "'attempt', j.attempt, 'state', j.state, 'error', j.error, 'startedAt', " + millis("j.started_at")
                + ", 'finishedAt', " + millis("j.finished_at") + ")) END";
        return db.sql("""
                WITH u AS (UPDATE jobs j SET state = 'SCHEDULED', due_at = now(), requeued = true,
                    attempts = COALESCE(j.attempts, %s), result = NULL, error = NULL, cancel_reason = NULL,
                    finished_at = NULL, instance_id = NULL, cancel_requested = false, progress_completed = 0,
                    progress_total = NULL
                    WHERE j.id = :id AND j.state IN ('FAILED', 'TIMED_OUT', 'CANCELLED') RETURNING j.id)
                SELECT id, pg_notify('%s', 's:' || id::text) AS sent FROM u""".formatted(first, CHANNEL))
            .bind("id", id.value()).map(row -> id).one();
    }

    /** The attempts column as the job JSON shows it; null for a job that keeps none. */
    static List<JobAttempt> attempts(JsonNode json) {
        if (json == null) {
            return null;
        }
        List<JobAttempt> all = new ArrayList<>(json.size());
        for (JsonNode attempt : json) {
            JsonNode error = attempt.path("error");
            all.add(new JobAttempt(attempt.path("attempt").asInt(), JobState.valueOf(attempt.path("state").asString()),
                    error.isObject() ? new JobError(error.path("type").asString(), error.path("message").asString()) : null,
                    instant(attempt.path("startedAt")), instant(attempt.path("finishedAt"))));
        }
        return all;
    }

    private static Instant instant(JsonNode millis) {
        return millis.isNumber() ? Instant.ofEpochMilli(millis.asLong()) : null;
    }

    private static String millis(String time) {
        return "CAST(EXTRACT(EPOCH FROM " + time + ") * 1000 AS bigint)";
    }
}
