package dev.asyncpatterns.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ResiliencePipelineTests {

    private static final String URL = "http://upstream.test/resource";
    private static final Duration LONG = Duration.ofMinutes(10);

    private final ResiliencePipeline pipeline = new ResiliencePipeline(breaker -> java.util.Optional.empty());

    @AfterEach
    void resetVirtualTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void exponentialBackoffWaitsExactly100Then200MsBetweenAttempts() {
        Upstream upstream = new Upstream(failure(503), failure(503), success());
        Retry retry = retry(3, IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(299))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> {
                assertThat(response.result().ok()).isTrue();
                assertThat(response.attempts()).containsExactly(
                        new Attempt(1, "HTTP_STATUS 503", 0, 100L),
                        new Attempt(2, "HTTP_STATUS 503", 0, 200L),
                        new Attempt(3, "OK 200", 0, null));
            })
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).containsExactly(0L, 100L, 300L);
    }

    @Test
    void jitteredBackoffStaysWithinTheRandomizationFactorAndIsWhatTheRetryWaited() {
        Upstream upstream = new Upstream(failure(500), failure(500), success());
        Retry retry = retry(3, IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2, 0.5));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .expectSubscription()
            .thenAwait(Duration.ofSeconds(1))
            .assertNext(response -> {
                long first = response.attempts().get(0).backoffMs();
                long second = response.attempts().get(1).backoffMs();
                assertThat(first).isBetween(50L, 150L);
                assertThat(second).isBetween(100L, 300L);
                assertThat(upstream.startedAtMs).containsExactly(0L, first, first + second);
            })
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void anUpstreamRetryAfterReplacesTheComputedBackoff() {
        Upstream upstream = new Upstream(failure(503, "2"), success());
        Retry retry = retry(3, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(1999))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> assertThat(response.attempts().get(0).backoffMs()).isEqualTo(2000L))
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).containsExactly(0L, 2000L);
    }

    @Test
    void anUpstreamRetryAfterOn429IsCappedByTheRetrysMaximumWait() {
        Upstream upstream = new Upstream(failure(429, "3600"), success());
        Retry retry = retry(2, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(4999))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> assertThat(response.attempts().get(0)).isEqualTo(new Attempt(1, "HTTP_STATUS 429", 0, 5000L)))
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void aNotFoundIsTheAnswerAndIsNeverRetried() {
        Upstream upstream = new Upstream(failure(404), success());
        Retry retry = retry(6, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .assertNext(response -> {
                assertThat(response.result().error().status()).isEqualTo(404);
                assertThat(response.attempts()).containsExactly(new Attempt(1, "HTTP_STATUS 404", 0, null));
            })
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).hasSize(1);
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesAreABadGatewayWithEveryAttemptAndTheLastResult() {
        Upstream upstream = new Upstream(failure(500), failure(502), CallResult.failure(0, URL,
                CallError.of(CallErrorType.CONNECT, "refused"), 1));
        Retry retry = retry(3, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> retrying(retry, upstream.call()))
            .expectSubscription()
            .thenAwait(Duration.ofMillis(200))
            .expectErrorSatisfies(error -> {
                ResilientCallFailedException failed = (ResilientCallFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(502);
                assertThat(failed.getBody().getType()).isEqualTo(ResilientCallFailedException.RETRIES_EXHAUSTED);
                assertThat(attempts(failed)).extracting(Attempt::outcome)
                    .containsExactly("HTTP_STATUS 500", "HTTP_STATUS 502", "CONNECT");
                assertThat(((CallResult) failed.getBody().getProperties().get("result")).error().type())
                    .isEqualTo(CallErrorType.CONNECT);
            })
            .verify(Duration.ofSeconds(5));
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void aTimeLimiterTimeoutIsRetriedAndTheSlowAttemptIsCancelled() {
        AtomicInteger cancelled = new AtomicInteger();
        Upstream upstream = new Upstream(success(), success());
        Mono<CallResult> slowThenFast = Mono.defer(() -> upstream.startedAtMs.isEmpty()
                ? upstream.call().delayElement(Duration.ofSeconds(30)).doOnCancel(cancelled::incrementAndGet)
                : upstream.call());
        TimeLimiter limiter = TimeLimiter.of("tl", TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(1)).build());
        Retry retry = retry(2, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> pipeline.run(Guards.none().withRetry(retry, Duration.ofSeconds(5))
                .withTimeLimiter(limiter), 0, URL, slowThenFast, LONG))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(1099))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(response -> assertThat(response.attempts()).containsExactly(
                    new Attempt(1, "TIMEOUT", 1000, 100L), new Attempt(2, "OK 200", 0, null)))
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void theRateLimiterDelaysACallToItsPermitOnATimerAndRefusesOneBeyondItsTimeout() {
        Upstream upstream = new Upstream(success());
        StepVerifier.withVirtualTime(() -> {
            // One permit a second, waiting at most 1.5 s: the second call waits for the next
            // cycle, the third would need the one after, so it is refused at once.
            AtomicRateLimiter limiter = new AtomicRateLimiter("rl", RateLimiterConfig.custom()
                .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(1500))
                .build(), Map.of(), () -> Schedulers.parallel().now(TimeUnit.NANOSECONDS));
            Guards guards = Guards.none().withRateLimiter(limiter);
            return Mono.just("first").concatWith(pipeline.run(guards, 0, URL, upstream.call(), LONG).thenReturn("first done"))
                .mergeWith(pipeline.run(guards, 0, URL, upstream.call(), LONG).thenReturn("second done"))
                .mergeWith(pipeline.run(guards, 0, URL, upstream.call(), LONG).thenReturn("third done")
                    .onErrorResume(ResilientCallFailedException.class, ex -> Mono.just(ex.getStatusCode().value() + " Retry-After "
                            + ex.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))));
        })
            .expectSubscription()
            .expectNext("first", "first done", "429 Retry-After 2")
            .expectNoEvent(Duration.ofMillis(999))
            .thenAwait(Duration.ofMillis(1))
            .expectNext("second done")
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).containsExactly(0L, 1000L);
    }

    @Test
    void aCallCancelledWhileWaitingForItsPermitIsNeverMade() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        AtomicRateLimiter limiter = new AtomicRateLimiter("rl", RateLimiterConfig.custom()
            .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5))
            .build(), Map.of(), () -> time.now(TimeUnit.NANOSECONDS));
        Upstream upstream = new Upstream(success());
        Guards guards = Guards.none().withRateLimiter(limiter);
        pipeline.run(guards, 0, URL, upstream.call(), LONG).block(Duration.ofSeconds(5));

        Disposable waiting = pipeline.run(guards, 0, URL, upstream.call(), LONG).subscribe();
        time.advanceTimeBy(Duration.ofMillis(500));
        waiting.dispose();
        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(upstream.startedAtMs).containsExactly(0L);
    }

    @Test
    void theCircuitOpensOnFailuresRefusesCallsWithItsWaitThenHalfOpensAndCloses() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.custom()
            .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1)
            .recordExceptions(RetryableCallException.class)
            .clock(new VirtualClock(time))
            .build());
        CircuitOpenings openings = new CircuitOpenings();
        openings.watch(breaker);
        ResiliencePipeline watched = new ResiliencePipeline(openings::openFor);
        Upstream upstream = new Upstream(failure(500), failure(500), success());
        Guards guards = Guards.none().withCircuitBreaker(breaker);

        for (int i = 0; i < 2; i++) {
            StepVerifier.create(watched.run(guards, 0, URL, upstream.call(), LONG))
                .expectErrorSatisfies(error -> assertThat(((ResilientCallFailedException) error).getStatusCode().value()).isEqualTo(502))
                .verify(Duration.ofSeconds(5));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        time.advanceTimeBy(Duration.ofMillis(2500));
        StepVerifier.create(watched.run(guards, 0, URL, upstream.call(), LONG))
            .expectErrorSatisfies(error -> {
                ResilientCallFailedException failed = (ResilientCallFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(503);
                assertThat(failed.getBody().getType()).isEqualTo(ResilientCallFailedException.CIRCUIT_OPEN);
                assertThat(failed.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("8");
                assertThat(attempts(failed)).containsExactly(new Attempt(1, "CIRCUIT_OPEN", 0, null));
            })
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).hasSize(2);

        time.advanceTimeBy(Duration.ofMillis(7501));
        StepVerifier.create(watched.run(guards, 0, URL, upstream.call(), LONG))
            .assertNext(response -> assertThat(response.result().ok()).isTrue())
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).hasSize(3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anOpenCircuitStopsTheRetries() {
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.custom()
            .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
            .recordExceptions(RetryableCallException.class).build());
        Upstream upstream = new Upstream(failure(503));
        Retry retry = retry(6, IntervalFunction.of(Duration.ofMillis(100)));

        StepVerifier.withVirtualTime(() -> pipeline.run(Guards.none().withRetry(retry, Duration.ofSeconds(5))
                .withCircuitBreaker(breaker), 0, URL, upstream.call(), LONG))
            .expectSubscription()
            .thenAwait(Duration.ofSeconds(1))
            .expectErrorSatisfies(error -> assertThat(attempts((ResilientCallFailedException) error)).extracting(Attempt::outcome)
                .containsExactly("HTTP_STATUS 503", "HTTP_STATUS 503", "CIRCUIT_OPEN"))
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).hasSize(2);
    }

    @Test
    void aFullBulkheadMakesTheNextCallWaitInLineUntilASlotIsFree() {
        Upstream upstream = new Upstream(success());
        StepVerifier.withVirtualTime(() -> {
            Bulkhead bulkhead = oneSlotBulkhead();
            Guards guards = Guards.none().withBulkhead(new WaitingBulkhead(bulkhead, Duration.ofMillis(500)));
            Mono<CallResult> slow = upstream.call().delayElement(Duration.ofMillis(300));
            return pipeline.run(guards, 0, URL, slow, LONG).thenReturn("first")
                .mergeWith(pipeline.run(guards, 0, URL, slow, LONG).thenReturn("second"))
                .mergeWith(pipeline.run(guards, 0, URL, slow, LONG).thenReturn("third")
                    .onErrorResume(ResilientCallFailedException.class, ex -> Mono.just("third " + ex.getStatusCode().value())));
        })
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(300))
            .expectNext("first")
            .thenAwait(Duration.ofMillis(200))
            .expectNext("third 503")
            .thenAwait(Duration.ofMillis(100))
            .expectNext("second")
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(upstream.startedAtMs).containsExactly(0L, 300L);
    }

    @Test
    void aFreedSlotGoesToTheCallThatHasWaitedLongest() {
        Upstream upstream = new Upstream(success());
        StepVerifier.withVirtualTime(() -> {
            Bulkhead bulkhead = oneSlotBulkhead();
            Guards guards = Guards.none().withBulkhead(new WaitingBulkhead(bulkhead, Duration.ofSeconds(1)));
            // The slot frees at 301 ms: "early" has waited for it since 0, "late" only since 295.
            Mono<String> holder = pipeline.run(guards, 0, URL, upstream.call().delayElement(Duration.ofMillis(301)), LONG)
                .thenReturn("holder");
            Mono<CallResult> slow = upstream.call().delayElement(Duration.ofMillis(100));
            Mono<String> early = pipeline.run(guards, 0, URL, slow, LONG).thenReturn("early");
            Mono<String> late = Mono.delay(Duration.ofMillis(295))
                .then(pipeline.run(guards, 0, URL, slow, LONG)).thenReturn("late");
            return Flux.merge(holder, early, late);
        })
            .expectSubscription()
            .thenAwait(Duration.ofSeconds(1))
            .expectNext("holder", "early", "late")
            .expectComplete()
            .verify(Duration.ofSeconds(5));
    }

    @Test
    void aCallCancelledWhileInFlightGivesItsBulkheadSlotBack() {
        Bulkhead bulkhead = oneSlotBulkhead();
        AtomicInteger cancelled = new AtomicInteger();
        Mono<CallResult> hanging = Mono.<CallResult>never().doOnCancel(cancelled::incrementAndGet);

        Disposable inFlight = pipeline.run(Guards.none().withBulkhead(new WaitingBulkhead(bulkhead, Duration.ZERO)), 0, URL, hanging, LONG)
            .subscribe();
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isZero();
        inFlight.dispose();

        assertThat(cancelled).hasValue(1);
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void cancellingDuringABackoffStopsTheRetries() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        Upstream upstream = new Upstream(failure(503));
        Retry retry = retry(5, IntervalFunction.of(Duration.ofSeconds(1)));

        Disposable call = retrying(retry, upstream.call())
            .subscribe(response -> { }, error -> { });
        time.advanceTimeBy(Duration.ofMillis(500));
        call.dispose();
        time.advanceTimeBy(Duration.ofSeconds(30));

        assertThat(upstream.startedAtMs).containsExactly(0L);
    }

    @Test
    void theWholeCallTimeoutCancelsTheAttemptInFlightAndAnswersGatewayTimeout() {
        Upstream upstream = new Upstream(failure(503), success());
        Retry retry = retry(3, IntervalFunction.of(Duration.ofMillis(100)));
        Mono<CallResult> slowSecond = Mono.defer(() -> upstream.startedAtMs.isEmpty() ? upstream.call()
                : upstream.call().delayElement(Duration.ofSeconds(10)));

        StepVerifier.withVirtualTime(() -> pipeline.run(Guards.none().withRetry(retry, Duration.ofSeconds(5)), 0, URL,
                slowSecond, Duration.ofSeconds(1)))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(999))
            .thenAwait(Duration.ofMillis(1))
            .expectErrorSatisfies(error -> {
                ResilientCallFailedException failed = (ResilientCallFailedException) error;
                assertThat(failed.getStatusCode().value()).isEqualTo(504);
                assertThat(attempts(failed)).containsExactly(new Attempt(1, "HTTP_STATUS 503", 0, 100L),
                        new Attempt(2, "CANCELLED", 900, null));
            })
            .verify(Duration.ofSeconds(5));
    }

    /** The call through a retry alone, whose upstream Retry-After cap is 5 s. */
    private Mono<CallResponse> retrying(Retry retry, Mono<CallResult> call) {
        return pipeline.run(Guards.none().withRetry(retry, Duration.ofSeconds(5)), 0, URL, call, LONG);
    }

    @SuppressWarnings("unchecked")
    private static List<Attempt> attempts(ResilientCallFailedException failed) {
        return (List<Attempt>) failed.getBody().getProperties().get("attempts");
    }

    private static Retry retry(int maxAttempts, IntervalFunction backoff) {
        return Retry.of("test", RetryConfig.custom().maxAttempts(maxAttempts).intervalFunction(backoff)
            .retryExceptions(RetryableCallException.class).build());
    }

    /** One call at a time; the instance itself never waits, as ResilienceInstances sets every bulkhead. */
    private static Bulkhead oneSlotBulkhead() {
        return Bulkhead.of("bh", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
    }

    private static CallResult success() {
        return CallResult.success(0, URL, 200, null, 0);
    }

    private static CallResult failure(int status) {
        return failure(status, null);
    }

    private static CallResult failure(int status, String retryAfter) {
        return CallResult.failure(0, URL, new CallError(CallErrorType.HTTP_STATUS, "upstream answered " + status,
                status, retryAfter), 0);
    }

    /** Answers with the scripted results in turn (the last repeats) and notes when each call started. */
    private static final class Upstream {

        final List<Long> startedAtMs = Collections.synchronizedList(new ArrayList<>());
        private final List<CallResult> script;

        Upstream(CallResult... script) {
            this.script = List.of(script);
        }

        Mono<CallResult> call() {
            return Mono.fromSupplier(() -> {
                startedAtMs.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
                return script.get(Math.min(startedAtMs.size() - 1, script.size() - 1));
            });
        }
    }

    /** The circuit breaker's clock, following virtual time. */
    private static final class VirtualClock extends Clock {

        private final VirtualTimeScheduler time;

        VirtualClock(VirtualTimeScheduler time) {
            this.time = time;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
        }
    }
}
