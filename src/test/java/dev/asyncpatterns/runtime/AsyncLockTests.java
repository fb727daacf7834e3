package dev.asyncpatterns.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncLockTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    @Test
    void criticalSectionsNeverOverlap() {
        AsyncLock lock = new AsyncLock();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Flux.range(0, 5)
                .flatMap(i -> lock.withLock(Mono.delay(Duration.ofMillis(50))
                    .doOnSubscribe(s -> {
                        if (inside.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                    })
                    .doOnSuccess(v -> inside.decrementAndGet()))))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(49))
            .thenAwait(Duration.ofMillis(201))
            .expectNextCount(5)
            .expectComplete()
            .verify(VERIFY);
        assertThat(overlaps).hasValue(0);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aTaskCancelledWhileWaitingForTheLockLeavesNothingWaiting() {
        AsyncLock lock = new AsyncLock();
        AsyncSemaphore.Permit held = lock.acquire().block(VERIFY);
        StepVerifier.create(lock.withLock(Mono.just("never")))
            .expectSubscription()
            .then(() -> assertThat(lock.waiters()).isEqualTo(1))
            .thenCancel()
            .verify(VERIFY);
        assertThat(lock.waiters()).isZero();
        held.release();
        assertThat(lock.isLocked()).isFalse();
    }
}
