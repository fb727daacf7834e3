package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.function.LongSupplier;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * One timer, armed for the earliest of the times asked for: however many rows say when they are
 * due next, an instance keeps a single {@code Mono.delay} per table it watches, never one per row.
 */
final class EarliestWakeUp implements Disposable {

    private final LongSupplier millis;
    private final long minDelayMs;
    private final Runnable wake;
    private final Disposable.Swap timer = Disposables.swap();
    /** When the armed timer fires, epoch millis of {@code millis}; {@link Long#MAX_VALUE} when none is armed. Guarded by this. */
    private long armedFor = Long.MAX_VALUE;

    /**
     * @param minDelayMs the shortest wait armed: what is due but taken by another instance right
     *                   now is looked at again this soon, not in a busy loop
     * @param wake runs when the timer fires
     */
    EarliestWakeUp(LongSupplier millis, long minDelayMs, Runnable wake) {
        this.millis = millis;
        this.minDelayMs = minDelayMs;
        this.wake = wake;
    }

    /** Wakes in {@code delayMs} (at least the minimum) unless the timer fires earlier already. */
    synchronized void in(long delayMs) {
        long wait = Math.max(minDelayMs, delayMs);
        long at = millis.getAsLong() + wait;
        if (at >= armedFor) {
            return;
        }
        armedFor = at;
        timer.update(Mono.delay(Duration.ofMillis(wait)).subscribe(tick -> fired()));
    }

    private void fired() {
        synchronized (this) {
            armedFor = Long.MAX_VALUE;
        }
        wake.run();
    }

    @Override
    public void dispose() {
        timer.dispose();
    }

    @Override
    public boolean isDisposed() {
        return timer.isDisposed();
    }
}
