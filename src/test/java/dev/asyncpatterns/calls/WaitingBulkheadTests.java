package dev.asyncpatterns.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class WaitingBulkheadTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final Bulkhead bulkhead = Bulkhead.of("bh", BulkheadConfig.custom().maxConcurrentCalls(1)
        .maxWaitDuration(Duration.ZERO).build());
    private final AtomicInteger rejections = new AtomicInteger();

    WaitingBulkheadTests() {
        bulkhead.getEventPublisher().onCallRejected(event -> rejections.incrementAndGet());
    }

    @AfterEach
    void resetVirtualTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void ourBulkheadLetsTheNextCallWaitInLineWithoutAThreadUntilASlotIsFree() {
        StepVerifier.withVirtualTime(() -> {
            WaitingBulkhead waiting = new WaitingBulkhead(bulkhead, Duration.ofMillis(500));
            Mono<String> holder = Mono.delay(Duration.ofMillis(200)).thenReturn("holder")
                .transformDeferred(waiting.operator());
            return holder.mergeWith(Mono.just("next").transformDeferred(waiting.operator()))
                .subscribeOn(Schedulers.parallel());
        })
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(200))
            .recordWith(ArrayList::new)
            .expectNextCount(2)
            .consumeRecordedWith(answers -> assertThat(answers).containsExactlyInAnyOrder("holder", "next"))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void aCallThatWaitedItsMaximumFailsAndTheBulkheadCountsTheRejection() {
        WaitingBulkhead waiting = new WaitingBulkhead(bulkhead, Duration.ofMillis(500));
        Disposable holder = Mono.never().transformDeferred(waiting.operator()).subscribe();

        StepVerifier.withVirtualTime(() -> Mono.just("call").transformDeferred(waiting.operator()))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(499))
            .thenAwait(Duration.ofMillis(1))
            .expectError(BulkheadFullException.class)
            .verify(VERIFY);
        assertThat(rejections).hasValue(1);
        holder.dispose();
    }

    @Test
    void aCallCancelledWhileInLineIsNeverMadeAndTheSlotGoesToTheNext() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        WaitingBulkhead waiting = new WaitingBulkhead(bulkhead, Duration.ofSeconds(1));
        Disposable holder = Mono.never().transformDeferred(waiting.operator()).subscribe();
        PublisherProbe<String> cancelled = PublisherProbe.of(Mono.just("cancelled"));
        PublisherProbe<String> next = PublisherProbe.of(Mono.just("next"));

        Disposable leaving = cancelled.mono().transformDeferred(waiting.operator()).subscribe();
        next.mono().transformDeferred(waiting.operator()).subscribe();
        time.advanceTimeBy(Duration.ofMillis(100));
        leaving.dispose();
        holder.dispose();

        assertThat(cancelled.wasSubscribed()).isFalse();
        assertThat(next.wasSubscribed()).isTrue();
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(rejections).hasValue(0);
    }
}
