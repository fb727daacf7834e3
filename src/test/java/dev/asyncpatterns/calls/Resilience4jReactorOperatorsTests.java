package dev.asyncpatterns.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Why two Resilience4j-reactor 2.4 operators are not used as they are: each test pins down the
 * library's behaviour that rules it out (WaitingBulkheadTests shows the bulkhead's replacement).
 * Should a new Resilience4j release change that behaviour, the test fails and says it may be
 * time to switch.
 */
class Resilience4jReactorOperatorsTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    @AfterEach
    void resetVirtualTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void rateLimiterOperatorGivesNoSubscriptionWhileItWaitsSoTheCallCannotBeCancelledAndIsMadeForNobody() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        AtomicRateLimiter limiter = spentForThisSecond(time);
        PublisherProbe<String> call = PublisherProbe.of(Mono.just("answer"));
        AtomicBoolean subscribed = new AtomicBoolean();

        Disposable waiting = call.mono().transformDeferred(RateLimiterOperator.of(limiter))
            .doOnSubscribe(subscription -> subscribed.set(true)).subscribe();
        time.advanceTimeBy(Duration.ofMillis(500));

        assertThat(subscribed).as("a subscription to cancel while waiting for the permit").isFalse();
        assertThatNullPointerException().isThrownBy(waiting::dispose);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(call.wasSubscribed()).as("the call was made once the permit came").isTrue();
    }

    @Test
    void ourRateLimiterWaitIsCancelledWithItsSubscriberAndTheCallIsNeverMade() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        AtomicRateLimiter limiter = spentForThisSecond(time);
        PublisherProbe<String> call = PublisherProbe.of(Mono.just("answer"));

        Disposable waiting = call.mono().transformDeferred(NonBlockingOperators.rateLimiter(limiter)).subscribe();
        time.advanceTimeBy(Duration.ofMillis(500));
        waiting.dispose();
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(call.wasSubscribed()).isFalse();
    }

    @Test
    void bulkheadOperatorNeverWaitsForASlotWithoutAWaitConfigured() {
        Bulkhead bulkhead = Bulkhead.of("bh", BulkheadConfig.custom().maxConcurrentCalls(1)
            .maxWaitDuration(Duration.ZERO).build());
        Disposable holder = Mono.never().transformDeferred(BulkheadOperator.of(bulkhead)).subscribe();

        StepVerifier.withVirtualTime(() -> Mono.just("call").transformDeferred(BulkheadOperator.of(bulkhead)))
            .expectSubscription()
            .expectError(BulkheadFullException.class)
            .verify(VERIFY);
        holder.dispose();
    }

    @Test
    void bulkheadOperatorWithAWaitConfiguredParksTheSubscribingThread() {
        Bulkhead bulkhead = Bulkhead.of("bh", BulkheadConfig.custom().maxConcurrentCalls(1)
            .maxWaitDuration(Duration.ofMillis(500)).build());
        Disposable holder = Mono.never().transformDeferred(BulkheadOperator.of(bulkhead)).subscribe();

        StepVerifier.create(Mono.just("call").transformDeferred(BulkheadOperator.of(bulkhead))
                .subscribeOn(Schedulers.parallel()))
            .expectErrorMatches(BlockingOperationError.class::isInstance)
            .verify(VERIFY);
        holder.dispose();
    }

    /** One call a second, on virtual time, whose permit for the first second is taken: the next call waits. */
    private static AtomicRateLimiter spentForThisSecond(VirtualTimeScheduler time) {
        AtomicRateLimiter limiter = new AtomicRateLimiter("rl", RateLimiterConfig.custom().limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5)).build(), Map.of(),
                () -> time.now(TimeUnit.NANOSECONDS));
        limiter.acquirePermission();
        return limiter;
    }
}
