package dev.asyncpatterns.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class GroupCommitTests {

    /** Batches the test completes by hand, to control what is in flight. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final List<Sinks.Empty<Void>> commits = new CopyOnWriteArrayList<>();

    private Mono<Void> write(List<Integer> batch) {
        Sinks.Empty<Void> commit = Sinks.empty();
        batches.add(List.copyOf(batch));
        commits.add(commit);
        return commit.asMono();
    }

    @Test
    void aWriteAloneGoesAtOnceAndCompletesWithItsBatch() {
        GroupCommit<Integer> group = new GroupCommit<>(10, 1, 100, this::write);

        StepVerifier.create(group.submit(1))
            .then(() -> {
                assertThat(batches).containsExactly(List.of(1));
                commits.get(0).tryEmitEmpty();
            })
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void writesArrivingWhileOneIsInFlightGoTogetherInTheNextBatch() {
        GroupCommit<Integer> group = new GroupCommit<>(10, 1, 100, this::write);
        List<Mono<Void>> done = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Mono<Void> written = group.submit(i).cache();
            written.subscribe(null, failure -> { });
            done.add(written);
        }
        assertThat(batches).containsExactly(List.of(1));

        commits.get(0).tryEmitEmpty();

        assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4));
        commits.get(1).tryEmitEmpty();
        StepVerifier.create(Mono.when(done)).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void aBatchHoldsAtMostMaxBatchItemsAndAtMostMaxInFlightBatchesRun() {
        GroupCommit<Integer> group = new GroupCommit<>(2, 2, 100, this::write);
        for (int i = 1; i <= 7; i++) {
            group.submit(i).subscribe(null, failure -> { });
        }
        // 1 and 2 went alone, each the moment it arrived; the rest wait for a free slot.
        assertThat(batches).containsExactly(List.of(1), List.of(2));

        commits.get(0).tryEmitEmpty();
        assertThat(batches).hasSize(3).last().isEqualTo(List.of(3, 4));
        commits.get(1).tryEmitEmpty();
        assertThat(batches).hasSize(4).last().isEqualTo(List.of(5, 6));
    }

    @Test
    void everyItemOfAFailedBatchFailsWithTheBatchAndTheNextBatchStillGoes() {
        GroupCommit<Integer> group = new GroupCommit<>(10, 1, 100, this::write);
        group.submit(1).subscribe(null, failure -> { });
        Mono<Void> second = group.submit(2).cache();
        Mono<Void> third = group.submit(3).cache();
        second.subscribe(null, failure -> { });
        third.subscribe(null, failure -> { });
        commits.get(0).tryEmitEmpty();

        commits.get(1).tryEmitError(new IllegalStateException("connection lost"));

        StepVerifier.create(second).expectErrorMessage("connection lost").verify(Duration.ofSeconds(5));
        StepVerifier.create(third).expectErrorMessage("connection lost").verify(Duration.ofSeconds(5));
        StepVerifier.create(group.submit(4))
            .then(() -> commits.get(2).tryEmitEmpty())
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(batches).last().isEqualTo(List.of(4));
    }

    @Test
    void pastTheQueueBoundAWriteFailsAtOnceInsteadOfWaiting() {
        GroupCommit<Integer> group = new GroupCommit<>(10, 1, 2, this::write);
        group.submit(1).subscribe(null, failure -> { });
        group.submit(2).subscribe(null, failure -> { });
        group.submit(3).subscribe(null, failure -> { });

        StepVerifier.create(group.submit(4))
            .expectErrorSatisfies(failure -> assertThat(failure).hasMessageContaining("more than 2 writes are waiting"))
            .verify(Duration.ofSeconds(5));
        commits.get(0).tryEmitEmpty();
        assertThat(batches).last().isEqualTo(List.of(2, 3));
    }

    @Test
    void aWriteThatThrowsInsteadOfReturningAMonoFailsItsBatchAndFreesTheSlot() {
        boolean[] thrown = { false };
        GroupCommit<Integer> group = new GroupCommit<>(10, 1, 100, batch -> {
            if (!thrown[0]) {
                thrown[0] = true;
                throw new IllegalArgumentException("cannot bind");
            }
            return Mono.empty();
        });

        StepVerifier.create(group.submit(1)).expectErrorMessage("cannot bind").verify(Duration.ofSeconds(5));
        StepVerifier.create(group.submit(2)).expectComplete().verify(Duration.ofSeconds(5));
    }
}
