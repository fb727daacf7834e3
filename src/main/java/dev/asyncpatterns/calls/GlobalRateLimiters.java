package dev.asyncpatterns.calls;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The token buckets behind {@code globalRateLimiter}: one implementation per store. Both take a
 * token without blocking the calling thread (the PostgreSQL one runs its JDBC calls on the
 * blocking pool).
 */
public interface GlobalRateLimiters {

    /** Where the buckets live: {@code local} or {@code postgres}. */
    String backend();

    /**
     * Takes one token from the named, configured limiter.
     *
     * @return {@link Duration#ZERO} when a token was taken, otherwise how long until the next one
     */
    Mono<Duration> tryAcquire(String name);

    /** Tokens the named limiter has left now. */
    Mono<Long> availableTokens(String name);
}
