package dev.asyncpatterns.security;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.ProblemWriter;
import dev.asyncpatterns.web.Problems;
import reactor.core.publisher.Mono;

/**
 * A token bucket per caller on {@code /api}, per API key name, JWT subject or (anonymous) client
 * IP, so one noisy caller gets 429s with {@code Retry-After} while the others are served. The
 * buckets are the shared store's when it provides {@link CallerBuckets} (one limit across every
 * instance), else this process's; when the shared store cannot answer, this process's buckets
 * stand in, so the limit still holds per instance rather than failing every request.
 */
final class CallerRateLimiter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(CallerRateLimiter.class);

    private final AccessControlProperties.RateLimit settings;
    private final LocalCallerBuckets local;
    private final @Nullable CallerBuckets shared;
    private final ProblemWriter problems;

    CallerRateLimiter(AccessControlProperties.RateLimit settings, ProblemWriter problems,
            @Nullable CallerBuckets shared) {
        this.settings = settings;
        this.local = new LocalCallerBuckets(settings);
        this.shared = shared;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String caller = Callers.limitKey(exchange);
        Mono<Duration> wait = shared == null ? local.tryAcquire(caller) : shared.tryAcquire(caller)
            .onErrorResume(failure -> {
                log.warn("Shared rate-limit buckets unavailable ({}); limiting {} in this instance",
                        NestedExceptionUtils.getMostSpecificCause(failure).toString(), caller);
                return local.tryAcquire(caller);
            });
        return wait.flatMap(untilNext -> untilNext.isZero() ? chain.filter(exchange) : refuse(exchange, untilNext));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Duration untilNext) {
        long retryAfterSeconds = Math.max(1, (untilNext.toMillis() + 999) / 1000);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.RATE_LIMITED,
                "Too many requests", "This caller may make " + settings.limitForPeriod() + " requests per "
                        + settings.limitRefreshPeriod().toMillis() + " ms; retry after " + retryAfterSeconds + " s.");
        problem.setProperty("limitForPeriod", settings.limitForPeriod());
        problem.setProperty("limitRefreshPeriodMs", settings.limitRefreshPeriod().toMillis());
        return problems.write(exchange, problem, headers);
    }

    int trackedCallers() {
        return local.trackedCallers();
    }
}
