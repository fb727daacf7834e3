package dev.asyncpatterns.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncSemaphoreTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ExecutorService racer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRacer() throws InterruptedException {
        racer.shutdownNow();
        assertThat(racer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void permitsAreHandedOutInArrivalOrder() {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        AsyncSemaphore.Permit first = semaphore.acquire().block(VERIFY);
        List<String> order = new ArrayList<>();
        List<AsyncSemaphore.Permit> held = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            semaphore.acquire().subscribe(permit -> {
                order.add(name);
                held.add(permit);
            });
        }
        assertThat(semaphore.waiters()).isEqualTo(3);
        first.release();
        held.get(0).release();
        held.get(1).release();
        assertThat(order).containsExactly("a", "b", "c");
        held.get(2).release();
        assertThat(semaphore.available()).isEqualTo(1);
    }

    @Test
    void aWaiterCancelledWhileWaitingNeverReceivesAPermit() {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        AsyncSemaphore.Permit held = semaphore.acquire().block(VERIFY);
        Disposable cancelled = semaphore.acquire().subscribe(permit -> {
            throw new AssertionError("a cancelled waiter received a permit");
        });
        cancelled.dispose();
        assertThat(semaphore.waiters()).isZero();
        held.release();
        assertThat(semaphore.available()).isEqualTo(1);
    }

    @Test
    void aPermitHandedToAWaiterCancelledAtThatInstantGoesToTheNextLiveWaiter() {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        AsyncSemaphore.Permit held = semaphore.acquire().block(VERIFY);
        AtomicReference<AsyncSemaphore.Permit> nextGot = new AtomicReference<>();
        // Requesting nothing parks the handed-over permit inside the waiter's sink, so the cancel
        // below meets a permit that was already given to it: the race, made deterministic.
        StepVerifier.create(semaphore.acquire(), 0)
            .expectSubscription()
            .then(() -> semaphore.acquire().subscribe(nextGot::set))
            .then(held::release)
            .thenCancel()
            .verify(VERIFY);
        assertThat(nextGot.get()).as("the next live waiter got the discarded permit").isNotNull();
        nextGot.get().release();
        assertThat(semaphore.available()).isEqualTo(1);
        assertThat(semaphore.waiters()).isZero();
    }

    @Test
    void tryAcquireTakesAFreePermitButNeverQueuesBehindAWaiter() {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        AsyncSemaphore.Permit taken = semaphore.tryAcquire().orElseThrow();
        assertThat(semaphore.tryAcquire()).isEmpty();
        AtomicReference<AsyncSemaphore.Permit> waiter = new AtomicReference<>();
        semaphore.acquire().subscribe(waiter::set);

        taken.release();

        assertThat(waiter.get()).isNotNull();
        assertThat(semaphore.tryAcquire()).isEmpty();
        waiter.get().release();
        assertThat(semaphore.tryAcquire()).isPresent();
        assertThat(semaphore.waiters()).isZero();
    }

    @Test
    void releasingAPermitTwiceReturnsItOnlyOnce() {
        AsyncSemaphore semaphore = new AsyncSemaphore(2);
        AsyncSemaphore.Permit permit = semaphore.acquire().block(VERIFY);
        permit.release();
        permit.release();
        assertThat(semaphore.available()).isEqualTo(2);
    }

    @Test
    void withPermitNeverRunsMoreTasksAtOnceThanThereArePermits() {
        AsyncSemaphore semaphore = new AsyncSemaphore(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Flux.range(0, 10)
                .flatMap(i -> semaphore.withPermit(Mono.delay(Duration.ofMillis(100))
                    .doOnSubscribe(s -> maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max))
                    .doOnSuccess(v -> running.decrementAndGet()))))
            .expectSubscription()
            .thenAwait(Duration.ofMillis(400))
            .expectNextCount(10)
            .expectComplete()
            .verify(VERIFY);
        assertThat(maxRunning).hasValue(3);
        assertThat(semaphore.available()).isEqualTo(3);
    }

    @Test
    void cancellingWorkHoldingAPermitReleasesIt() {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        StepVerifier.withVirtualTime(() -> semaphore.withPermit(Mono.never()))
            .expectSubscription()
            .then(() -> assertThat(semaphore.available()).isZero())
            .thenCancel()
            .verify(VERIFY);
        assertThat(semaphore.available()).isEqualTo(1);
    }

    @Test
    void racingCancelsAgainstReleasesNeverLeakAPermit() throws Exception {
        raceCancelsAgainstReleases(Mono.fromRunnable(() -> { }));
    }

    @Test
    void racingCancelsAgainstReleasesNeverLeakAPermitHeldByWorkThatNeverEnds() throws Exception {
        raceCancelsAgainstReleases(Mono.never());
    }

    /** The permit reaches the waiting work on one thread while the work is cancelled on another. */
    private void raceCancelsAgainstReleases(Mono<Object> work) throws Exception {
        AsyncSemaphore semaphore = new AsyncSemaphore(1);
        for (int round = 0; round < 5_000; round++) {
            AsyncSemaphore.Permit held = semaphore.acquire().block(VERIFY);
            Disposable waiter = semaphore.withPermit(work).subscribe();
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                await(start);
                waiter.dispose();
            }, racer);
            await(start);
            held.release();
            cancel.get(5, TimeUnit.SECONDS);
            assertThat(semaphore.available()).as("round %d", round).isEqualTo(1);
            assertThat(semaphore.waiters()).as("round %d", round).isZero();
        }
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
