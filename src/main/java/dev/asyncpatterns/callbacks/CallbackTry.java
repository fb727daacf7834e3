package dev.asyncpatterns.callbacks;

import java.time.Duration;
import java.time.Instant;

/**
 * How one try of a delivery went, and what follows: DELIVERED (a 2xx), FAILED (the last try
 * failed, or the URL is no longer allowed), or PENDING with the wait before the next try.
 *
 * @param state where the delivery stands after this try
 * @param status the HTTP status of the answer; null when none came
 * @param deliveredAt when the 2xx came; null otherwise
 * @param retryIn the wait before the next try (backoff, jitter, {@code Retry-After}); null unless PENDING
 */
public record CallbackTry(CallbackState state, Integer status, Instant deliveredAt, Duration retryIn) {
}
