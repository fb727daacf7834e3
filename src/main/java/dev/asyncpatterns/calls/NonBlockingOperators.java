package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;

import reactor.core.publisher.Mono;

/**
 * Reactor operators for the Resilience4j instances whose own reactive operators would park the
 * subscribing thread: {@code RateLimiterOperator} sleeps for its permit when
 * {@code timeoutDuration > 0}, and {@code BulkheadOperator} waits on a semaphore when
 * {@code maxWaitDuration > 0} — on an event loop, that stalls every connection it serves. Here
 * each wait is a {@code Mono.delay}: a timer that a cancelled subscriber simply stops. The retry
 * is ours too, so it can honour an upstream's {@code Retry-After} and keep the attempt timeline.
 * Apply each with {@code transformDeferred}, so every subscription gets fresh state.
 */
final class NonBlockingOperators {

    private NonBlockingOperators() {
    }

    /**
     * Reserves a permit ({@link RateLimiter#reservePermission()} never blocks) and delays the call
     * until the permit's cycle starts, or fails {@link RequestNotPermitted} when that is further
     * away than the limiter's {@code timeoutDuration}. A reservation cannot be handed back to an
     * {@code AtomicRateLimiter}, so a caller cancelled while it waits leaves its permit unused.
     */
    static <T> Function<Mono<T>, Mono<T>> rateLimiter(RateLimiter limiter) {
        return call -> Mono.defer(() -> {
            long waitNanos = limiter.reservePermission();
            if (waitNanos < 0) {
                return Mono.error(RequestNotPermitted.createRequestNotPermitted(limiter));
            }
            Mono<T> permitted = call.doOnNext(limiter::onResult).doOnError(limiter::onError);
            return waitNanos == 0 ? permitted : Mono.delay(Duration.ofNanos(waitNanos)).then(permitted);
        });
    }

    /**
     * Takes a slot of a semaphore bulkhead without waiting on the semaphore (the instance's own
     * {@code maxWaitDuration} is set to zero by {@link ResilienceInstances}); when none is free,
     * looks again every {@code pollInterval} until {@code maxWait} has passed, then fails
     * {@link BulkheadFullException}. The slot is released exactly once when the call ends, fails
     * or is cancelled.
     */
    static <T> Function<Mono<T>, Mono<T>> bulkhead(Bulkhead bulkhead, Duration maxWait, Duration pollInterval) {
        return call -> Mono.defer(() -> {
            long deadline = AttemptLog.now() + maxWait.toMillis();
            return acquire(bulkhead, deadline, pollInterval).then(Mono.defer(() -> {
                AtomicBoolean released = new AtomicBoolean();
                return call.doFinally(signal -> {
                    if (released.compareAndSet(false, true)) {
                        bulkhead.onComplete();
                    }
                });
            }));
        });
    }

    private static Mono<Void> acquire(Bulkhead bulkhead, long deadline, Duration pollInterval) {
        return Mono.defer(() -> {
            long left = deadline - AttemptLog.now();
            // Only ask when a slot looks free (or at the very end), so a waiter does not flood
            // the bulkhead's event stream with a rejection per poll.
            if (bulkhead.getMetrics().getAvailableConcurrentCalls() > 0 || left <= 0) {
                if (bulkhead.tryAcquirePermission()) {
                    return Mono.empty();
                }
                if (left <= 0) {
                    return Mono.error(BulkheadFullException.createBulkheadFullException(bulkhead));
                }
            }
            return Mono.delay(Duration.ofMillis(Math.min(pollInterval.toMillis(), left)))
                .then(acquire(bulkhead, deadline, pollInterval));
        });
    }

    /**
     * Retries the way {@code RetryOperator} does — through the instance's own context, so its
     * events and metrics count every attempt — with two differences: when the failure carries
     * an upstream {@code Retry-After} (a 429 or 503), that wait replaces the computed backoff,
     * capped at {@code retryAfterCap}; and every wait is reported to {@code onBackoff}.
     */
    static <T> Function<Mono<T>, Mono<T>> retry(Retry retry, Duration retryAfterCap, LongConsumer onBackoff) {
        return call -> Mono.defer(() -> {
            Retry.AsyncContext<T> context = retry.asyncContext();
            return call.retryWhen(reactor.util.retry.Retry.from(signals -> signals.concatMap(signal -> {
                Throwable failure = signal.failure();
                if (failure instanceof Error) {
                    return Mono.error(failure);
                }
                long computed = context.onError(failure);
                if (computed < 0) {
                    return Mono.error(failure);
                }
                long wait = failure instanceof RetryableCallException retryable
                        ? retryable.upstreamRetryAfter()
                            .map(upstream -> Math.min(upstream.toMillis(), retryAfterCap.toMillis()))
                            .orElse(computed)
                        : computed;
                onBackoff.accept(wait);
                return Mono.delay(Duration.ofMillis(wait));
            }))).doOnSuccess(value -> context.onComplete());
        });
    }
}
