package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.asyncpatterns.web.Problems;
import reactor.core.publisher.Mono;

/**
 * A token bucket per caller on {@code /api}: Resilience4j's {@link AtomicRateLimiter} per API key
 * name, JWT subject or (anonymous) client IP, asked without waiting, so one noisy caller gets 429s
 * with {@code Retry-After} while the others are served. The buckets live in a bounded LRU map: a
 * flood of new IPs evicts the least recently seen bucket instead of growing the heap.
 */
final class CallerRateLimiter implements WebFilter {

    private final RateLimiterConfig config;
    private final int limitForPeriod;
    private final Map<String, AtomicRateLimiter> buckets;
    private final ProblemResponses problems;

    CallerRateLimiter(AccessControlProperties.RateLimit settings, ProblemResponses problems) {
        this.limitForPeriod = settings.limitForPeriod();
        this.config = RateLimiterConfig.custom()
            .limitForPeriod(settings.limitForPeriod())
            .limitRefreshPeriod(Duration.ofMillis(settings.limitRefreshPeriodMs()))
            .timeoutDuration(Duration.ZERO)
            .build();
        int maxCallers = settings.maxCallers();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AtomicRateLimiter> eldest) {
                return size() > maxCallers;
            }
        };
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        AtomicRateLimiter bucket = bucket(Callers.limitKey(exchange));
        // Zero timeout: never parks the event loop, only answers whether a token is there now.
        if (bucket.acquirePermission()) {
            return chain.filter(exchange);
        }
        long waitNanos = Math.max(0, bucket.getDetailedMetrics().getNanosToWait());
        long retryAfterSeconds = Math.max(1, (TimeUnit.NANOSECONDS.toMillis(waitNanos) + 999) / 1000);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemResponses.RATE_LIMITED,
                "Too many requests", "This caller may make " + limitForPeriod + " requests per "
                        + config.getLimitRefreshPeriod().toMillis() + " ms; retry after " + retryAfterSeconds + " s.");
        problem.setProperty("limitForPeriod", limitForPeriod);
        problem.setProperty("limitRefreshPeriodMs", config.getLimitRefreshPeriod().toMillis());
        return problems.write(exchange, problem, headers);
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
