package dev.asyncpatterns.calls;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a resilient call, an entry of {@code attempts}.
 *
 * @param attempt which attempt, the first call being 1
 * @param outcome what it came to: {@code OK 200}, {@code HTTP_STATUS 503}, {@code TIMEOUT},
 *                {@code CONNECT}, {@code RATE_LIMITED}, {@code CIRCUIT_OPEN}, {@code BULKHEAD_FULL}…
 * @param elapsedMs from the start of the attempt (including any wait for a permit or a slot) to its outcome
 * @param backoffMs how long the retry waited before the next attempt; absent on the last one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int attempt, String outcome, long elapsedMs, @Nullable Long backoffMs) {

    Attempt withBackoff(long backoffMs) {
        return new Attempt(attempt, outcome, elapsedMs, backoffMs);
    }
}
