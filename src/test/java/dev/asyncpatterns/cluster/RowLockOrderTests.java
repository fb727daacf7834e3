package dev.asyncpatterns.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * The heartbeat's renewal and the batch of terminal writes update the same rows (a job that has
 * just ended is renewed until its end is written). Each locks its rows in id order, so neither can
 * hold a row the other needs while waiting for one the other holds: the deadlock W7 met, which
 * PostgreSQL ended by aborting a batch of terminal writes. Shown here with the lower id held by
 * another transaction while each statement is given the rows higher id first: it must wait for the
 * lower one before it touches the higher.
 */
class RowLockOrderTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private List<JobId> rows;

    @Test
    void aBatchOfTerminalWritesLocksItsRowsInIdOrder() throws SQLException {
        assertLocksLowerIdFirst(ids -> db.jobs().finish("here",
                ids.stream().map(id -> new JobRows.Finished(succeeded(id), 1)).toList()));

        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND " + these())).isEqualTo(2);
    }

    @Test
    void aRenewalLocksItsRowsInIdOrder() throws SQLException {
        assertLocksLowerIdFirst(ids -> db.leases().renew("here", ids, 10_000).collectList().then());

        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE lease_expires_at > now() + interval '5 seconds' AND "
                + these())).isEqualTo(2);
    }

    private void assertLocksLowerIdFirst(Function<List<JobId>, Mono<Void>> statement) throws SQLException {
        // The higher row stored first: in the table's own order too, the higher comes first.
        JobId higher = db.running("here", InstanceLossPolicy.FAIL);
        JobId lower;
        do {
            lower = db.running("here", InstanceLossPolicy.FAIL);
        } while (!sortsBefore(lower, higher));
        rows = List.of(higher, lower);
        try (Connection holder = db.connect(); Connection probe = db.connect()) {
            holder.setAutoCommit(false);
            lock(holder, lower, false);
            Mono<Void> running = statement.apply(rows).cache();
            running.subscribe(done -> { }, failure -> { });
            await().atMost(BLOCK).until(() -> db.queryLong(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                    > 0);

            probe.setAutoCommit(false);
            assertThatNoException().as("the higher row is not locked while the lower one is awaited")
                .isThrownBy(() -> lock(probe, higher, true));
            probe.rollback();

            holder.rollback();
            running.block(BLOCK);
        }
    }

    /** PostgreSQL orders uuids by their bytes, as their text sorts (Java's UUID.compareTo does not). */
    private static boolean sortsBefore(JobId a, JobId b) {
        return a.value().toString().compareTo(b.value().toString()) < 0;
    }

    private String these() {
        return "id IN ('" + rows.get(0).value() + "', '" + rows.get(1).value() + "')";
    }

    /** Locks the job's row in the connection's transaction; with {@code noWait}, fails at once if it is locked. */
    private static void lock(Connection connection, JobId id, boolean noWait) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 FROM jobs WHERE id = '" + id.value() + "' FOR UPDATE" + (noWait ? " NOWAIT" : ""));
        }
    }

    private JobView succeeded(JobId id) {
        JobView view = db.row(id).view();
        return new JobView(view.id(), view.type(), view.name(), JobState.SUCCEEDED, view.params(), view.timeoutMs(),
                new JobView.Progress(1, 1L), StoreDatabase.MAPPER.createObjectNode().put("ok", true), null, null,
                view.createdAt(), view.startedAt(), Instant.now(), view.createdBy());
    }
}
