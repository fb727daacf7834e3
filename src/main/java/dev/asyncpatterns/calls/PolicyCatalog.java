package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties.InstanceProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.calls.Policies.BulkheadView;
import dev.asyncpatterns.calls.Policies.CircuitBreakerView;
import dev.asyncpatterns.calls.Policies.GlobalRateLimiterView;
import dev.asyncpatterns.calls.Policies.RateLimiterView;
import dev.asyncpatterns.calls.Policies.RetryView;
import dev.asyncpatterns.calls.Policies.TimeLimiterView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Builds {@code GET /api/policies} from the registries: settings as configured, state as of now. */
@Component
class PolicyCatalog {

    static final String ORDER = "Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call)))))";

    private final ResilienceInstances instances;
    private final GlobalRateLimiters global;
    private final CallsProperties properties;

    PolicyCatalog(ResilienceInstances instances, GlobalRateLimiters global, CallsProperties properties) {
        this.instances = instances;
        this.global = global;
        this.properties = properties;
    }

    /** {@link #snapshot()} plus the global rate limiters, whose tokens may live in the database. */
    Mono<Policies> snapshotWithGlobal() {
        Policies local = snapshot();
        return Flux.fromIterable(new TreeMap<>(properties.globalRateLimiters()).entrySet())
            .concatMap(entry -> global.availableTokens(entry.getKey())
                .map(tokens -> new GlobalRateLimiterView(entry.getKey(), global.backend(),
                        entry.getValue().limitForPeriod(), entry.getValue().limitRefreshPeriod().toMillis(), tokens)))
            .collectList()
            .map(local::withGlobalRateLimiters);
    }

    Policies snapshot() {
        return new Policies(ORDER,
                sorted(instances.rateLimiters().getAllRateLimiters(), RateLimiter::getName, this::rateLimiter),
                sorted(instances.retries().getAllRetries(), Retry::getName, this::retry),
                sorted(instances.circuitBreakers().getAllCircuitBreakers(), CircuitBreaker::getName, this::circuitBreaker),
                sorted(instances.bulkheads().getAllBulkheads(), Bulkhead::getName, this::bulkhead),
                sorted(instances.timeLimiters().getAllTimeLimiters(), TimeLimiter::getName,
                        limiter -> new TimeLimiterView(limiter.getName(),
                                limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis())));
    }

    private RateLimiterView rateLimiter(RateLimiter limiter) {
        return new RateLimiterView(limiter.getName(), limiter.getRateLimiterConfig().getLimitForPeriod(),
                limiter.getRateLimiterConfig().getLimitRefreshPeriod().toMillis(),
                limiter.getRateLimiterConfig().getTimeoutDuration().toMillis(),
                limiter.getMetrics().getAvailablePermissions(),
                ResiliencePipeline.untilNextPermit(limiter).toMillis());
    }

    private RetryView retry(Retry retry) {
        String name = retry.getName();
        boolean exponential = Boolean.TRUE.equals(instances.retrySetting(name, InstanceProperties::getEnableExponentialBackoff));
        boolean jitter = Boolean.TRUE.equals(instances.retrySetting(name, InstanceProperties::getEnableRandomizedWait));
        Duration wait = instances.retrySetting(name, InstanceProperties::getWaitDuration);
        Duration max = exponential ? instances.retrySetting(name, InstanceProperties::getExponentialMaxWaitDuration) : null;
        Retry.Metrics metrics = retry.getMetrics();
        return new RetryView(name, retry.getRetryConfig().getMaxAttempts(), millis(wait),
                exponential ? instances.retrySetting(name, InstanceProperties::getExponentialBackoffMultiplier) : null,
                jitter ? instances.retrySetting(name, InstanceProperties::getRandomizedWaitFactor) : null,
                millis(max), instances.retryAfterCap(retry).toMillis(),
                metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt(),
                metrics.getNumberOfSuccessfulCallsWithRetryAttempt(),
                metrics.getNumberOfFailedCallsWithRetryAttempt(),
                metrics.getNumberOfFailedCallsWithoutRetryAttempt());
    }

    private CircuitBreakerView circuitBreaker(CircuitBreaker breaker) {
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        float rate = metrics.getFailureRate();
        return new CircuitBreakerView(breaker.getName(), breaker.getState().name(), rate < 0 ? null : rate,
                config.getFailureRateThreshold(), config.getSlidingWindowSize(), config.getMinimumNumberOfCalls(),
                config.getWaitIntervalFunctionInOpenState().apply(1), config.getPermittedNumberOfCallsInHalfOpenState(),
                metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
                metrics.getNumberOfNotPermittedCalls(),
                instances.openFor(breaker).map(Duration::toMillis).orElse(null));
    }

    private BulkheadView bulkhead(Bulkhead bulkhead) {
        return new BulkheadView(bulkhead.getName(), bulkhead.getBulkheadConfig().getMaxConcurrentCalls(),
                instances.bulkheadWait(bulkhead).toMillis(), bulkhead.getMetrics().getAvailableConcurrentCalls());
    }

    private static <E, V> List<V> sorted(Collection<E> all, Function<E, String> name, Function<E, V> view) {
        return all.stream().sorted(Comparator.comparing(name)).map(view).toList();
    }

    private static @Nullable Long millis(@Nullable Duration duration) {
        return duration == null ? null : duration.toMillis();
    }
}
