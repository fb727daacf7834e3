package dev.asyncpatterns.calls;

import java.util.Map;
import java.util.stream.Collectors;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallPolicies;
import dev.asyncpatterns.outbound.CallPolicy;
import dev.asyncpatterns.outbound.CallResult;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;

/**
 * The fan-out endpoints' per-call {@code rateLimiter} and {@code retry}, backed by the same
 * Resilience4j instances and non-blocking operators as {@code POST /api/calls}, in the same
 * order: Retry(RateLimiter(call)). A call keeps its contract of one result: retries exhausted
 * report the last failure, and a call the rate limiter refused is a {@code RATE_LIMITED} failure.
 */
@Component
class ResilienceCallPolicies implements CallPolicies {

    private final ResilienceInstances instances;

    ResilienceCallPolicies(ResilienceInstances instances) {
        this.instances = instances;
    }

    @Override
    public CallPolicy resolve(@Nullable String rateLimiterName, @Nullable String retryName) {
        RateLimiter limiter = instances.rateLimiter(rateLimiterName);
        Retry retry = instances.retry(retryName);
        if (limiter == null && retry == null) {
            return CallPolicy.NONE;
        }
        return call -> {
            Mono<CallResult> attempt = call.flatMap(result -> RetryableCallException.isRetryable(result)
                    ? Mono.<CallResult>error(new RetryableCallException(result)) : Mono.just(result));
            if (limiter != null) {
                attempt = attempt.transformDeferred(NonBlockingOperators.rateLimiter(limiter));
            }
            if (retry != null) {
                attempt = attempt.transformDeferred(
                        NonBlockingOperators.retry(retry, instances.retryAfterCap(retry), backoff -> { }));
            }
            return attempt.onErrorResume(RetryableCallException.class, ex -> Mono.just(ex.result()))
                .onErrorResume(RequestNotPermitted.class, ex -> Mono.just(refused(call, limiter)));
        };
    }

    /** The result of a call that was never made, named by the tags the outbound client puts on it. */
    private static CallResult refused(Mono<CallResult> call, RateLimiter limiter) {
        Map<String, String> tags = Scannable.from(call).tags()
            .collect(Collectors.toMap(t -> t.getT1(), t -> t.getT2(), (first, second) -> first));
        int index = Integer.parseInt(tags.getOrDefault(CallPolicy.INDEX_TAG, "0"));
        String url = tags.getOrDefault(CallPolicy.URL_TAG, "");
        long waitedMs = limiter.getRateLimiterConfig().getTimeoutDuration().toMillis();
        return CallResult.failure(index, url, CallError.of(CallErrorType.RATE_LIMITED, "rate limiter '"
                + limiter.getName() + "' had no permit within " + waitedMs + " ms; the call was not made"), 0);
    }
}
