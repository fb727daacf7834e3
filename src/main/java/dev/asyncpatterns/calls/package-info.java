/**
 * Resilient outbound calls: what an asyncio program builds around {@code session.get(...)} by
 * hand — {@code aiolimiter}'s rate limiting, a retry loop with exponential backoff and jitter
 * ({@code tenacity}'s {@code wait_random_exponential}), a circuit breaker, an
 * {@code asyncio.Semaphore} as a bulkhead and {@code asyncio.wait_for} as a time limiter — here
 * as Resilience4j instances configured under {@code resilience4j.*}, applied by name in one fixed
 * order: Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))).
 *
 * <p>Every wait (a rate-limiter permit, a bulkhead slot, a backoff) is a cancellable timer, like
 * an {@code await asyncio.sleep(...)}: no thread is parked, and a caller that goes away stops the
 * retries and gives back what it held.
 */
package dev.asyncpatterns.calls;
