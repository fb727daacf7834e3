package dev.asyncpatterns.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncEventTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    @Test
    void everyWaiterResumesOnlyWhenTheEventIsSet() {
        AsyncEvent event = new AsyncEvent();
        StepVerifier.withVirtualTime(() -> Flux.merge(event.await().thenReturn("a"), event.await().thenReturn("b"))
                .mergeWith(Mono.delay(Duration.ofMillis(200)).doOnNext(t -> event.set()).then(Mono.empty())))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(200))
            .expectNext("a", "b")
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void waitingOnASetEventCompletesAtOnce() {
        AsyncEvent event = new AsyncEvent();
        event.set();
        StepVerifier.create(event.await()).expectComplete().verify(VERIFY);
        assertThat(event.isSet()).isTrue();
    }

    @Test
    void afterClearWaitersWaitForTheNextSet() {
        AsyncEvent event = new AsyncEvent();
        event.set();
        event.clear();
        StepVerifier.create(event.await())
            .expectSubscription()
            .then(() -> assertThat(event.waiters()).isEqualTo(1))
            .then(event::set)
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void aCancelledWaiterLeavesNothingWaiting() {
        AsyncEvent event = new AsyncEvent();
        StepVerifier.create(event.await())
            .expectSubscription()
            .then(() -> assertThat(event.waiters()).isEqualTo(1))
            .thenCancel()
            .verify(VERIFY);
        assertThat(event.waiters()).isZero();
    }
}
