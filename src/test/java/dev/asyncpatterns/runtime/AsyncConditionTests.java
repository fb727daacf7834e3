package dev.asyncpatterns.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncConditionTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final AsyncCondition condition = new AsyncCondition();

    private final ExecutorService racer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRacer() throws InterruptedException {
        racer.shutdownNow();
        assertThat(racer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void waitReleasesTheLockAndResumesHoldingItAfterASignal() {
        List<String> log = new ArrayList<>();
        condition.withLock(guard -> guard.await()
                .doOnSuccess(v -> log.add("woken, locked=" + condition.lock().isLocked())))
            .subscribe();
        assertThat(condition.lock().isLocked()).as("waiting released the lock").isFalse();
        assertThat(condition.waiters()).isEqualTo(1);
        condition.withLock(guard -> Mono.fromRunnable(() -> {
            guard.signal();
            log.add("signalled");
        })).block(VERIFY);
        assertThat(log).containsExactly("signalled", "woken, locked=true");
        assertThat(condition.lock().isLocked()).isFalse();
        assertThat(condition.waiters()).isZero();
    }

    @Test
    void waitForResumesOnlyOnceThePredicateHolds() {
        Deque<String> buffer = new ArrayDeque<>();
        StepVerifier.withVirtualTime(() -> Mono.when(
                    Mono.delay(Duration.ofMillis(100)).then(condition.withLock(guard -> Mono.fromRunnable(guard::signalAll))),
                    Mono.delay(Duration.ofMillis(200)).then(condition.withLock(guard -> Mono.fromRunnable(() -> {
                        buffer.add("item");
                        guard.signalAll();
                    }))))
                .then(Mono.empty())
                .concatWith(condition.withLock(guard -> guard.waitFor(() -> !buffer.isEmpty())
                    .then(Mono.fromCallable(buffer::poll)))))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(200))
            .expectNext("item")
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void signalAllWakesEveryWaiterOneAtATimeUnderTheLock() {
        List<Integer> woken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            condition.withLock(guard -> guard.await().doOnSuccess(v -> woken.add(id))).subscribe();
        }
        assertThat(condition.waiters()).isEqualTo(3);
        condition.withLock(guard -> Mono.fromRunnable(guard::signalAll)).block(VERIFY);
        assertThat(woken).containsExactly(0, 1, 2);
        assertThat(condition.waiters()).isZero();
        assertThat(condition.lock().isLocked()).isFalse();
    }

    @Test
    void aCancelledWaiterLeavesNothingWaitingAndDoesNotHoldTheLock() {
        StepVerifier.create(condition.withLock(guard -> guard.await()))
            .expectSubscription()
            .then(() -> assertThat(condition.waiters()).isEqualTo(1))
            .thenCancel()
            .verify(VERIFY);
        assertThat(condition.waiters()).isZero();
        assertThat(condition.lock().isLocked()).isFalse();
    }

    @Test
    void signallingWithoutHoldingTheLockIsAnError() {
        AtomicBoolean checked = new AtomicBoolean();
        condition.withLock(guard -> guard.await().doOnSubscribe(s -> checked.set(true))).subscribe().dispose();
        assertThat(checked).isTrue();
        List<AsyncCondition.Guard> escaped = new ArrayList<>();
        condition.withLock(guard -> Mono.fromRunnable(() -> escaped.add(guard))).block(VERIFY);
        assertThatThrownBy(() -> escaped.get(0).signal()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNotifyRacingTheCancelOfItsWaiterIsPassedToTheNextWaiter() throws Exception {
        for (int round = 0; round < 1_000; round++) {
            AsyncCondition cond = new AsyncCondition();
            AtomicBoolean firstResumed = new AtomicBoolean();
            AtomicBoolean secondResumed = new AtomicBoolean();
            Disposable first = cond.withLock(g -> g.await().doOnSuccess(v -> firstResumed.set(true))).subscribe();
            cond.withLock(g -> g.await().doOnSuccess(v -> secondResumed.set(true))).subscribe();
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                AsyncSemaphoreTests.await(start);
                first.dispose();
            }, racer);
            AsyncSemaphoreTests.await(start);
            cond.withLock(g -> Mono.fromRunnable(g::signal)).block(VERIFY);
            cancel.get(5, TimeUnit.SECONDS);
            assertThat(firstResumed.get() || secondResumed.get()).as("round %d: the one notify was lost", round)
                .isTrue();
            assertThat(cond.lock().isLocked()).as("round %d", round).isFalse();
        }
    }
}
