package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.TreeSet;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.DisallowedUrlException;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/calls}: checks everything a request names before any call is made (the URL
 * against the allowlist, each instance name, the timeouts), then runs the call through
 * {@link ResiliencePipeline}.
 */
@Service
class ResilientCalls {

    private final ResilienceInstances instances;
    private final UrlAllowlist allowlist;
    private final OutboundClient client;
    private final CallsProperties properties;
    private final ResiliencePipeline pipeline;
    private final GlobalRateLimiters global;

    ResilientCalls(ResilienceInstances instances, UrlAllowlist allowlist, OutboundClient client,
            CallsProperties properties, GlobalRateLimiters global) {
        this.global = global;
        this.instances = instances;
        this.allowlist = allowlist;
        this.client = client;
        this.properties = properties;
        this.pipeline = new ResiliencePipeline(instances::openFor);
    }

    Mono<CallResponse> call(CallRequest request) {
        AllowedUrl url = allowed(request.url());
        Guards guards = guards(request);
        Duration timeout = bounded("timeoutMs", request.timeoutMs(), properties.defaultTimeout(), properties.maxTimeout());
        Duration perCall = bounded("perCallTimeoutMs", request.perCallTimeoutMs(), client.defaultTimeout(),
                client.maxTimeout());
        Mono<CallResult> attempt = client.fetch(0, url, perCall);
        String globalName = request.globalRateLimiter();
        if (globalName != null) {
            if (!properties.globalRateLimiters().containsKey(globalName)) {
                throw new BadRequestException("globalRateLimiter", "unknown global rate limiter '" + globalName
                        + "'; one of " + new TreeSet<>(properties.globalRateLimiters().keySet()));
            }
            attempt = globalToken(globalName).then(attempt);
        }
        return pipeline.run(guards, 0, url.url(), attempt, timeout);
    }

    /**
     * A token of the global limiter, per attempt and inside the local guards (after the local rate
     * limiter's permit), or a 429 saying when the next token comes.
     */
    private Mono<Void> globalToken(String name) {
        return global.tryAcquire(name).flatMap(wait -> wait.isZero() ? Mono.<Void>empty()
                : Mono.error(ResilientCallFailedException.globalRateLimited(name, wait)));
    }

    private AllowedUrl allowed(String url) {
        try {
            return allowlist.check(0, url);
        }
        catch (DisallowedUrlException ex) {
            throw new BadRequestException("url", ex.reason());
        }
    }

    private Guards guards(CallRequest request) {
        Guards guards = Guards.none();
        Retry retry = instances.retry(request.retry());
        if (retry != null) {
            guards = guards.withRetry(retry, instances.retryAfterCap(retry));
        }
        CircuitBreaker breaker = instances.circuitBreaker(request.circuitBreaker());
        if (breaker != null) {
            guards = guards.withCircuitBreaker(breaker);
        }
        RateLimiter limiter = instances.rateLimiter(request.rateLimiter());
        if (limiter != null) {
            guards = guards.withRateLimiter(limiter);
        }
        TimeLimiter timeLimiter = instances.timeLimiter(request.timeLimiter());
        if (timeLimiter != null) {
            guards = guards.withTimeLimiter(timeLimiter);
        }
        WaitingBulkhead bulkhead = instances.bulkhead(request.bulkhead());
        if (bulkhead != null) {
            guards = guards.withBulkhead(bulkhead);
        }
        return guards;
    }

    private static Duration bounded(String field, @Nullable Long millis, Duration fallback, Duration max) {
        if (millis == null) {
            return fallback;
        }
        if (millis > max.toMillis()) {
            throw new BadRequestException(field, "must be at most " + max.toMillis());
        }
        return Duration.ofMillis(millis);
    }
}
