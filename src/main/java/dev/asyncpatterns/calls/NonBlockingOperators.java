package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;

import reactor.core.publisher.Mono;

/**
 * Reactor operators for the Resilience4j instances whose own reactive operators do not fit here.
 * Resilience4j-reactor 2.4's {@code RateLimiterOperator} does reserve its permit and wait with
 * {@code Mono.delay}, but it neither keeps that timer's {@code Disposable} nor passes a
 * subscription downstream until the wait is over: a subscriber cannot cancel a call waiting for
 * its permit (Reactor even fails the dispose), and the call is made when the permit comes, for
 * nobody (Resilience4jReactorOperatorsTests shows both). Here the wait is a
 * {@code Mono.delay} inside the chain, which a cancel stops. The retry is ours too, so it can
 * honour an upstream's {@code Retry-After} and keep the attempt timeline. Apply each with
 * {@code transformDeferred}, so every subscription gets fresh state.
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
