package dev.asyncpatterns.runtime;

import reactor.core.publisher.Mono;

/**
 * asyncio's {@code Lock}: a semaphore with one permit, so at most one task is inside
 * {@link #withLock} at a time, waiters in arrival order, with the semaphore's cancellation safety.
 */
public final class AsyncLock {

    private final AsyncSemaphore semaphore = new AsyncSemaphore(1);

    /** Waits for the lock; the caller must release the returned permit. */
    public Mono<AsyncSemaphore.Permit> acquire() {
        return semaphore.acquire();
    }

    /** {@code async with lock:} runs {@code work} holding the lock, released however it ends. */
    public <T> Mono<T> withLock(Mono<T> work) {
        return semaphore.withPermit(work);
    }

    public boolean isLocked() {
        return semaphore.available() == 0;
    }

    /** Tasks waiting for the lock. */
    public int waiters() {
        return semaphore.waiters();
    }
}
