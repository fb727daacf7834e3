package dev.asyncpatterns.cluster;

import java.util.Optional;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * The SQL of delayed jobs in the {@code jobs} table: how many wait, when the next is due, and the
 * promotion of due rows from SCHEDULED to PENDING, where the ordinary claim takes them. Promotion
 * locks with {@code FOR UPDATE SKIP LOCKED}, so instances promoting at the same moment each take
 * different rows and every row is promoted once.
 */
class DueRows {

    private final DatabaseClient db;

    DueRows(DatabaseClient db) {
        this.db = db;
    }

    /** Jobs waiting for their start time anywhere in the cluster. */
    Mono<Long> scheduledCount() {
        return db.sql("SELECT count(*) FROM jobs WHERE state = 'SCHEDULED'").mapValue(Long.class).one();
    }

    /**
     * Milliseconds from the database's now until the next SCHEDULED job is due (zero or less when
     * one is due already), empty when none waits. Measured on the database's clock, which decides
     * what is due, so an instance whose clock runs ahead does not wake early again and again.
     */
    Mono<Long> nextDueInMs() {
        return db.sql("""
                SELECT CAST(EXTRACT(EPOCH FROM min(due_at) - clock_timestamp()) * 1000 AS bigint) AS delay
                FROM jobs WHERE state = 'SCHEDULED'""")
            .map(row -> Optional.ofNullable(row.get("delay", Long.class))).one().flatMap(Mono::justOrEmpty);
    }

    /**
     * Moves up to {@code limit} due jobs, oldest due first, to PENDING; each watcher hears its
     * {@code s:id} and, if any moved, every instance a {@code q} to claim them. Returns how many moved.
     */
    Mono<Long> promote(int limit) {
        return db.sql("""
                WITH u AS (UPDATE jobs SET state = 'PENDING'
                           WHERE id IN (SELECT id FROM jobs WHERE state = 'SCHEDULED' AND due_at <= now()
                                        ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                           RETURNING id),
                     n AS (SELECT pg_notify('%1$s', 's:' || id::text) FROM u)
                SELECT count(*) AS promoted, CASE WHEN count(*) > 0 THEN pg_notify('%1$s', 'q') END AS queued FROM n"""
            .formatted(JobRows.CHANNEL))
            .bind("limit", limit).map(row -> row.get("promoted", Long.class)).one();
    }
}
