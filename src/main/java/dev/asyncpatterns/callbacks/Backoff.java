package dev.asyncpatterns.callbacks;

import java.time.Duration;

/**
 * The wait before a delivery's next try: {@code first}, doubled per failed try, capped at
 * {@code max}, with "equal jitter" (a random point in the upper half) so receivers that come back
 * after an outage are not hit by every retry at the same instant. A {@code Retry-After} the
 * receiver sent is a floor: the wait is never shorter than what it asked for, up to {@code max}.
 */
record Backoff(Duration first, Duration max) {

    /**
     * @param failedTries tries made so far, at least 1
     * @param retryAfter what the receiver asked for, null when it said nothing
     * @param random a value in [0, 1), where in the jitter range the wait falls
     */
    Duration delay(int failedTries, Duration retryAfter, double random) {
        long maxMs = max.toMillis();
        // Past 2^30 the doubling has long passed any max (at most a day); stop shifting before it overflows.
        long doubled = first.toMillis() << Math.min(failedTries - 1, 30);
        long ceiling = Math.min(maxMs, doubled < 0 ? maxMs : doubled);
        long jittered = ceiling / 2 + (long) (random * (ceiling - ceiling / 2));
        long floor = retryAfter == null ? 0 : Math.min(maxMs, retryAfter.toMillis());
        return Duration.ofMillis(Math.max(jittered, floor));
    }
}
