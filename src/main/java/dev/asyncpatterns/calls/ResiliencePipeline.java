package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;

import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Mono;

/**
 * One resilient call: the named instances applied with {@code transformDeferred} in the fixed
 * order Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))), so
 * <ul>
 * <li>the bulkhead bounds only calls actually in flight, and the time limiter bounds one attempt
 *     including its wait for a slot;</li>
 * <li>the rate limiter spends a permit per attempt, retries included;</li>
 * <li>the circuit breaker sees every attempt, and an open circuit stops the retries;</li>
 * <li>the retry, outermost, gives each request its own budget and backoff.</li>
 * </ul>
 * Transient failures (see {@link RetryableCallException#isRetryable}) travel as errors inside and
 * become a 502 with the timeline at the edge; other results, a 404 among them, are the answer.
 */
final class ResiliencePipeline {

    private final Function<CircuitBreaker, Optional<Duration>> openFor;

    /**
     * @param openFor time until an open breaker lets a trial call through, where known
     */
    ResiliencePipeline(Function<CircuitBreaker, Optional<Duration>> openFor) {
        this.openFor = openFor;
    }

    /**
     * Runs {@code call} (cold: each subscription is one attempt) through {@code guards}.
     *
     * @param timeout bound on the whole thing: attempts, backoffs and waits
     * @return the final result and its attempts, or a {@link ResilientCallFailedException}
     */
    Mono<CallResponse> run(Guards guards, int index, String url, Mono<CallResult> call, Duration timeout) {
        return Mono.defer(() -> {
            AttemptLog log = new AttemptLog();
            Mono<CallResult> attempt = call.flatMap(result -> RetryableCallException.isRetryable(result)
                    ? Mono.<CallResult>error(new RetryableCallException(result)) : Mono.just(result));
            if (guards.bulkhead() != null) {
                attempt = attempt.transformDeferred(guards.bulkhead().operator());
            }
            if (guards.timeLimiter() != null) {
                TimeLimiter limiter = guards.timeLimiter();
                attempt = attempt.transformDeferred(TimeLimiterOperator.of(limiter))
                    .onErrorMap(TimeoutException.class, ex -> timedOut(limiter, index, url));
            }
            if (guards.rateLimiter() != null) {
                attempt = attempt.transformDeferred(NonBlockingOperators.rateLimiter(guards.rateLimiter()));
            }
            if (guards.circuitBreaker() != null) {
                attempt = attempt.transformDeferred(CircuitBreakerOperator.of(guards.circuitBreaker()));
            }
            Mono<CallResult> recorded = recorded(attempt, log);
            if (guards.retry() != null) {
                recorded = recorded.transformDeferred(
                        NonBlockingOperators.retry(guards.retry(), guards.retryAfterCap(), log::backoff));
            }
            return recorded
                .map(result -> new CallResponse(result, log.attempts()))
                .timeout(timeout, Mono.error(() -> ResilientCallFailedException.timedOut(timeout, log.attempts())))
                .onErrorMap(failure -> !(failure instanceof ResilientCallFailedException) && !(failure instanceof Error),
                        failure -> toProblem(failure, guards, log));
        });
    }

    /**
     * Each subscription is one attempt: note when it started and what it came to, once (the retry
     * cancels an attempt that has already failed when it gives up).
     */
    private static Mono<CallResult> recorded(Mono<CallResult> attempt, AttemptLog log) {
        return Mono.defer(() -> {
            long started = AttemptLog.now();
            AtomicBoolean ended = new AtomicBoolean();
            Consumer<String> end = outcome -> {
                if (ended.compareAndSet(false, true)) {
                    log.ended(outcome, started);
                }
            };
            return attempt.doOnNext(result -> end.accept(Outcomes.describe(result)))
                .doOnError(failure -> end.accept(Outcomes.describe(failure)))
                .doOnCancel(() -> end.accept(Outcomes.CANCELLED));
        });
    }

    private static RetryableCallException timedOut(TimeLimiter limiter, int index, String url) {
        long ms = limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis();
        return new RetryableCallException(CallResult.failure(index, url, CallError.of(CallErrorType.TIMEOUT,
                "no answer within time limiter '" + limiter.getName() + "' (" + ms + " ms)"), ms));
    }

    private Throwable toProblem(Throwable failure, Guards guards, AttemptLog log) {
        if (failure instanceof RetryableCallException retryable) {
            return ResilientCallFailedException.retriesExhausted(retryable.result(), log.attempts());
        }
        if (failure instanceof RequestNotPermitted && guards.rateLimiter() != null) {
            RateLimiter limiter = guards.rateLimiter();
            return ResilientCallFailedException.rateLimited(limiter.getName(), untilNextPermit(limiter), log.attempts());
        }
        if (failure instanceof CallNotPermittedException && guards.circuitBreaker() != null) {
            CircuitBreaker breaker = guards.circuitBreaker();
            return ResilientCallFailedException.circuitOpen(breaker.getName(), openFor.apply(breaker).orElse(null),
                    log.attempts());
        }
        if (failure instanceof BulkheadFullException && guards.bulkhead() != null) {
            return ResilientCallFailedException.bulkheadFull(guards.bulkhead().name(), guards.bulkhead().maxWait(), log.attempts());
        }
        return failure;
    }

    /** When the limiter can give the next permit: its next refresh when nobody is queued ahead. */
    static Duration untilNextPermit(RateLimiter limiter) {
        if (limiter instanceof AtomicRateLimiter atomic) {
            return Duration.ofNanos(Math.max(0, atomic.getDetailedMetrics().getNanosToWait()));
        }
        return limiter.getRateLimiterConfig().getLimitRefreshPeriod();
    }
}
