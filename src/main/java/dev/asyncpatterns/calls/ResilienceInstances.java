package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.github.resilience4j.core.Registry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.UnknownPolicyException;

/**
 * The configured Resilience4j instances, looked up by the names requests use. Lookups never
 * create an instance (the registries would happily make one for any name): an unknown name is a
 * 400 naming the field. At startup every semaphore bulkhead's {@code maxWaitDuration} is taken
 * over by the queue of a {@link WaitingBulkhead} and the instance itself set to never wait, so no
 * code path can park a thread on its semaphore.
 */
@Component
class ResilienceInstances {

    private static final Logger log = LoggerFactory.getLogger(ResilienceInstances.class);
    private static final String DEFAULT = "default";

    private final RateLimiterRegistry rateLimiters;
    private final RetryRegistry retries;
    private final CircuitBreakerRegistry circuitBreakers;
    private final BulkheadRegistry bulkheads;
    private final TimeLimiterRegistry timeLimiters;
    private final CommonRetryConfigurationProperties retryProperties;
    private final CallsProperties properties;
    private final Map<String, WaitingBulkhead> waitingBulkheads = new ConcurrentHashMap<>();
    private final CircuitOpenings openings = new CircuitOpenings();

    ResilienceInstances(RateLimiterRegistry rateLimiters, RetryRegistry retries, CircuitBreakerRegistry circuitBreakers,
            BulkheadRegistry bulkheads, TimeLimiterRegistry timeLimiters,
            CommonRetryConfigurationProperties retryProperties, CallsProperties properties) {
        this.rateLimiters = rateLimiters;
        this.retries = retries;
        this.circuitBreakers = circuitBreakers;
        this.bulkheads = bulkheads;
        this.timeLimiters = timeLimiters;
        this.retryProperties = retryProperties;
        this.properties = properties;
        bulkheads.getAllBulkheads().forEach(bulkhead -> waitingBulkheads.put(bulkhead.getName(), takeOverWait(bulkhead)));
        circuitBreakers.getAllCircuitBreakers().forEach(openings::watch);
    }

    RateLimiterRegistry rateLimiters() {
        return rateLimiters;
    }

    RetryRegistry retries() {
        return retries;
    }

    CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }

    BulkheadRegistry bulkheads() {
        return bulkheads;
    }

    TimeLimiterRegistry timeLimiters() {
        return timeLimiters;
    }

    @Nullable RateLimiter rateLimiter(@Nullable String name) {
        return find(rateLimiters, "rateLimiter", name);
    }

    @Nullable Retry retry(@Nullable String name) {
        return find(retries, "retry", name);
    }

    @Nullable CircuitBreaker circuitBreaker(@Nullable String name) {
        return find(circuitBreakers, "circuitBreaker", name);
    }

    @Nullable WaitingBulkhead bulkhead(@Nullable String name) {
        Bulkhead bulkhead = find(bulkheads, "bulkhead", name);
        return bulkhead == null ? null : waitingBulkheads.computeIfAbsent(bulkhead.getName(), n -> takeOverWait(bulkhead));
    }

    @Nullable TimeLimiter timeLimiter(@Nullable String name) {
        return find(timeLimiters, "timeLimiter", name);
    }

    /** How long a call may wait for a slot of this bulkhead: its configured {@code maxWaitDuration}. */
    Duration bulkheadWait(Bulkhead bulkhead) {
        WaitingBulkhead waiting = waitingBulkheads.get(bulkhead.getName());
        return waiting == null ? Duration.ZERO : waiting.maxWait();
    }

    /**
     * The longest upstream {@code Retry-After} this retry honours: its {@code exponentialMaxWaitDuration}
     * (the cap of its own backoff), else {@code asyncpatterns.calls.max-retry-after}.
     */
    Duration retryAfterCap(Retry retry) {
        Duration cap = retrySetting(retry.getName(), CommonRetryConfigurationProperties.InstanceProperties::getExponentialMaxWaitDuration);
        return cap != null ? cap : properties.maxRetryAfter();
    }

    /**
     * A retry setting as configured, following the instance's {@code baseConfig} (or
     * {@code configs.default}) the way Resilience4j does; null when nobody sets it.
     */
    <T> @Nullable T retrySetting(String name, Function<CommonRetryConfigurationProperties.InstanceProperties, T> setting) {
        CommonRetryConfigurationProperties.InstanceProperties instance = retryProperties.getInstances().get(name);
        T value = instance == null ? null : setting.apply(instance);
        if (value != null) {
            return value;
        }
        String base = instance != null && instance.getBaseConfig() != null ? instance.getBaseConfig()
                : DEFAULT.equals(name) ? null : DEFAULT;
        CommonRetryConfigurationProperties.InstanceProperties config = base == null ? null
                : retryProperties.getConfigs().get(base);
        return config == null ? null : setting.apply(config);
    }

    /** Time until an open circuit lets a trial call through, when the breaker is OPEN and its wait known. */
    Optional<Duration> openFor(CircuitBreaker breaker) {
        return openings.openFor(breaker);
    }

    private static WaitingBulkhead takeOverWait(Bulkhead bulkhead) {
        BulkheadConfig config = bulkhead.getBulkheadConfig();
        if (!config.getMaxWaitDuration().isZero()) {
            bulkhead.changeConfig(BulkheadConfig.from(config).maxWaitDuration(Duration.ZERO).build());
            log.debug("Bulkhead '{}': waiting up to {} in a queue instead of on its semaphore", bulkhead.getName(),
                    config.getMaxWaitDuration());
        }
        return new WaitingBulkhead(bulkhead, config.getMaxWaitDuration());
    }

    private static <E> @Nullable E find(Registry<E, ?> registry, String field, @Nullable String name) {
        if (name == null) {
            return null;
        }
        return registry.find(name).orElseThrow(() -> new UnknownPolicyException(field, name));
    }
}
