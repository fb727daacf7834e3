package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;

import dev.asyncpatterns.runtime.AsyncSemaphore;
import reactor.core.publisher.Mono;

/**
 * A semaphore bulkhead whose callers wait for a slot, in arrival order, up to its configured
 * {@code maxWaitDuration}, without holding a thread. Resilience4j's {@link BulkheadOperator} takes
 * the slot and keeps the bulkhead's metrics and events; it cannot wait itself (with a wait set it
 * parks the subscribing thread on the semaphore, so the instance is set to never wait and fails
 * fast), so a queue of as many permits as the bulkhead has slots stands in front of it: a call
 * reaches the operator only holding a permit, when a slot is therefore free. The permit is given
 * back after the slot, so the next in line never finds the bulkhead full.
 */
final class WaitingBulkhead {

    private final Bulkhead bulkhead;
    private final Duration maxWait;
    private final AsyncSemaphore queue;

    /**
     * @param bulkhead the instance, already set to never wait on its semaphore
     * @param maxWait how long a call may wait in line for a slot
     */
    WaitingBulkhead(Bulkhead bulkhead, Duration maxWait) {
        this.bulkhead = bulkhead;
        this.maxWait = maxWait;
        this.queue = new AsyncSemaphore(bulkhead.getBulkheadConfig().getMaxConcurrentCalls());
    }

    String name() {
        return bulkhead.getName();
    }

    Duration maxWait() {
        return maxWait;
    }

    /** For {@code transformDeferred}: runs the call in a slot, or fails {@link BulkheadFullException}. */
    <T> Function<Mono<T>, Mono<T>> operator() {
        return call -> Mono.usingWhen(inLine(), permit -> call.transformDeferred(BulkheadOperator.of(bulkhead)),
                permit -> Mono.fromRunnable(permit::release));
    }

    /** A free permit at once (no timer on the common path), else a place in line up to {@code maxWait}. */
    private Mono<AsyncSemaphore.Permit> inLine() {
        return Mono.defer(() -> queue.tryAcquire().map(Mono::just).orElseGet(() -> maxWait.isZero() ? full()
                : queue.acquire().timeout(maxWait, full())));
    }

    /**
     * Gives up. The bulkhead is asked once more so that its metrics and event stream count the
     * rejection as they did when it waited itself; should a slot have freed in that very instant,
     * it belongs to the next caller in line and is handed straight back.
     */
    private <T> Mono<T> full() {
        return Mono.defer(() -> {
            if (bulkhead.tryAcquirePermission()) {
                bulkhead.releasePermission();
            }
            return Mono.error(BulkheadFullException.createBulkheadFullException(bulkhead));
        });
    }
}
