package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import reactor.core.publisher.Mono;

/**
 * Per-caller buckets in this process: Resilience4j's {@link AtomicRateLimiter} per caller, asked
 * without waiting. They live in a bounded LRU map: a flood of new IPs evicts the least recently
 * seen bucket instead of growing the heap.
 */
final class LocalCallerBuckets implements CallerBuckets {

    private final RateLimiterConfig config;
    private final Map<String, AtomicRateLimiter> buckets;

    LocalCallerBuckets(AccessControlProperties.RateLimit settings) {
        this.config = RateLimiterConfig.custom()
            .limitForPeriod(settings.limitForPeriod())
            .limitRefreshPeriod(settings.limitRefreshPeriod())
            .timeoutDuration(Duration.ZERO)
            .build();
        int maxCallers = settings.maxCallers();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AtomicRateLimiter> eldest) {
                return size() > maxCallers;
            }
        };
    }

    @Override
    public Mono<Duration> tryAcquire(String caller) {
        AtomicRateLimiter bucket = bucket(caller);
        // Zero timeout: never parks the event loop, only answers whether a token is there now.
        if (bucket.acquirePermission()) {
            return Mono.just(Duration.ZERO);
        }
        return Mono.just(Duration.ofNanos(Math.max(1, bucket.getDetailedMetrics().getNanosToWait())));
    }

    /** Bucket lookup under a short lock: a map get or put, never a wait. */
    private AtomicRateLimiter bucket(String caller) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(caller, name -> new AtomicRateLimiter(name, config));
        }
    }

    int trackedCallers() {
        synchronized (buckets) {
            return buckets.size();
        }
    }
}
