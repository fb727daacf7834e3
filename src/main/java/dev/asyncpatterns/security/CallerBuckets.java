package dev.asyncpatterns.security;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where the per-caller token buckets of {@code asyncpatterns.security.rate-limit} live. In this
 * process unless a shared store provides a bean of this type ({@code asyncpatterns.store=postgres}
 * keeps them in the database), so that one caller's limit holds across every instance.
 */
public interface CallerBuckets {

    /**
     * Takes one token from the caller's bucket, creating it full on first use.
     *
     * @param caller the caller's key: {@code name:<key name or subject>} or {@code ip:<address>}
     * @return {@link Duration#ZERO} when a token was taken, otherwise how long until the next one
     */
    Mono<Duration> tryAcquire(String caller);
}
