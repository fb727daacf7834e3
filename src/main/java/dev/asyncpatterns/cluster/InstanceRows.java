package dev.asyncpatterns.cluster;

import java.time.OffsetDateTime;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The SQL of the {@code instances} table: each instance's heartbeat, the reaper's verdict on
 * instances that stopped beating, and the members {@code GET /api/cluster} lists.
 */
class InstanceRows {

    private final DatabaseClient db;

    InstanceRows(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> heartbeat(LocalInstance self, String state, int runningJobs) {
        return db.sql("""
                INSERT INTO instances (id, started_at, heartbeat_at, state, running_jobs)
                VALUES (:id, :startedAt, now(), :state, :running)
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), state = :state, running_jobs = :running,
                    started_at = :startedAt""")
            .bind("id", self.id()).bind("startedAt", JobRows.time(self.startedAt())).bind("state", state)
            .bind("running", runningJobs).fetch().rowsUpdated();
    }

    /** Instances that stopped renewing become LOST; ones gone for a day are forgotten. */
    Mono<Long> reapInstances(long ttlMs) {
        Mono<Long> lost = db.sql("""
                UPDATE instances SET state = 'LOST'
                WHERE state IN ('UP', 'DRAINING') AND heartbeat_at < now() - :ttl * interval '1 millisecond'""")
            .bind("ttl", ttlMs).fetch().rowsUpdated();
        Mono<Long> gone = db.sql("DELETE FROM instances WHERE heartbeat_at < now() - interval '1 day'")
            .fetch().rowsUpdated();
        return lost.zipWith(gone, Long::sum);
    }

    Flux<ClusterStatus.Member> instances() {
        return db.sql("SELECT * FROM instances ORDER BY started_at, id")
            .map(row -> new ClusterStatus.Member(row.get("id", String.class),
                    JobRows.instant(row.get("started_at", OffsetDateTime.class)),
                    JobRows.instant(row.get("heartbeat_at", OffsetDateTime.class)), row.get("state", String.class),
                    row.get("running_jobs", Integer.class)))
            .all();
    }
}
