package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claiming against a real database: a claim takes the oldest PENDING rows up to the free slots
 * (never one a submit reserved), starts each, hands back the ones that cannot start, and two
 * instances claiming at once never take the same row.
 */
class JobClaimsTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private final AtomicInteger free = new AtomicInteger();
    private final Queue<JobRow> started = new ConcurrentLinkedQueue<>();
    private final List<Disposable> running = new ArrayList<>();

    private JobClaims claims;

    @BeforeEach
    void claimOnRequestOnly() {
        claims = claims("here", free, started);
    }

    @AfterEach
    void stopClaiming() {
        running.forEach(Disposable::dispose);
    }

    /** Claims of {@code self}, each started job taking one of its {@code slots} as the registry's would. */
    private JobClaims claims(String self, AtomicInteger slots, Queue<JobRow> started) {
        return claims(self, slots, row -> {
            slots.decrementAndGet();
            started.add(row);
            return Mono.empty();
        });
    }

    private JobClaims claims(String self, AtomicInteger slots, Function<JobRow, Mono<Void>> start) {
        JobClaims made = new JobClaims(db.jobs(), self, 60_000, slots::get, start);
        running.add(made.start());
        return made;
    }

    @Test
    void aClaimTakesTheOldestPendingJobsUpToTheFreeSlotsAndStartsEachHere() {
        List<JobId> pending = List.of(db.pending(), db.pending(), db.pending(), db.pending());
        free.set(3);

        claims.claimBatch().block(BLOCK);

        assertThat(started).extracting(row -> row.view().id())
            .containsExactlyInAnyOrderElementsOf(pending.subList(0, 3));
        JobRow claimed = db.row(pending.get(0));
        assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
        assertThat(claimed.owner()).isEqualTo("here");
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(db.row(pending.get(3)).state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void aSlotReservedForASubmitIsNotClaimedUntilItIsReleased() {
        JobId waiting = db.pending();
        free.set(1);

        assertThat(claims.reserveSlot()).isTrue();
        assertThat(claims.reserveSlot()).isFalse();
        claims.claimBatch().block(BLOCK);
        assertThat(started).isEmpty();

        claims.releaseSlot();
        claims.claimBatch().block(BLOCK);
        assertThat(started).extracting(row -> row.view().id()).containsExactly(waiting);
    }

    @Test
    void aClaimedJobThatCannotStartHereIsHandedBackAndItsSlotFreed() {
        JobId waiting = db.pending();
        JobClaims refusing = new JobClaims(db.jobs(), "refusing", 60_000, () -> 1,
                row -> Mono.error(new IllegalStateException("no room after all")));
        // Claiming, but without its loops: nothing claims the handed-back job again before the asserts.
        refusing.start().dispose();

        refusing.claimBatch().block(BLOCK);

        JobRow row = db.row(waiting);
        assertThat(row.state()).isEqualTo(JobState.PENDING);
        assertThat(row.owner()).isNull();
        assertThat(row.attempt()).isZero();
        assertThat(refusing.reserveSlot()).isTrue();
    }

    @Test
    void twoInstancesClaimingAtOnceNeverTakeTheSameJobAndAFullBatchLooksAgain() {
        for (int i = 0; i < 40; i++) {
            db.pending();
        }
        free.set(100);
        Queue<JobRow> other = new ConcurrentLinkedQueue<>();
        JobClaims there = claims("there", new AtomicInteger(100), other);

        Mono.when(claims.claimBatch(), there.claimBatch()).block(BLOCK);

        // Each took a full batch at most, and full batches ask for another until none is left.
        await().atMost(BLOCK).until(() -> started.size() + other.size() == 40);
        Set<JobId> here = new HashSet<>();
        started.forEach(row -> here.add(row.view().id()));
        assertThat(here).hasSize(started.size());
        assertThat(other).extracting(row -> row.view().id()).doesNotHaveDuplicates().doesNotContainAnyElementsOf(here);
        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE state = 'RUNNING'")).isEqualTo(40);
    }

    @Test
    void aStoppedInstanceClaimsNothing() {
        db.pending();
        free.set(1);

        claims.stop();
        claims.claimBatch().block(BLOCK);

        assertThat(started).isEmpty();
        assertThat(claims.reserveSlot()).isFalse();
    }
}
