package dev.asyncpatterns.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * asyncio's {@code Semaphore(n)} for Reactor: {@link #acquire()} completes with a {@link Permit}
 * once one is free, without holding a thread; waiters are served in arrival order.
 *
 * <p>Cancellation is safe in both races: a waiter cancelled while waiting is removed and never
 * receives a permit, and a permit handed to a waiter cancelled at the same instant is taken back
 * (each waiter's state changes by compare-and-set, so the release and the cancel agree on who
 * owns the permit) and passes to the next live waiter instead of leaking.
 * Releasing is a method of the permit and is idempotent, so a permit can be returned only once.
 * State sits behind the semaphore's monitor; no callback runs under it.
 */
public final class AsyncSemaphore {

    private final int permits;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private int available;

    public AsyncSemaphore(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1");
        }
        this.permits = permits;
        this.available = permits;
    }

    /** Waits for a permit; the caller must {@link Permit#release() release} it. */
    public Mono<Permit> acquire() {
        return Mono.defer(() -> {
            Waiter waiter = new Waiter();
            Mono<Permit> granted = Mono.create(sink -> {
                waiter.sink = sink;
                boolean free;
                synchronized (this) {
                    free = available > 0;
                    if (free) {
                        available--;
                        waiter.grant(new Permit());
                    }
                    else {
                        waiters.add(waiter);
                    }
                }
                if (free) {
                    sink.success(waiter.permit);
                }
            });
            // Once a permit has passed this point the subscriber owns it; before, a cancel that
            // won the race has already returned it, and the late value must not go further.
            return granted.<Permit>handle((permit, next) -> {
                    if (waiter.state.compareAndSet(Waiter.GRANTED, Waiter.DELIVERED)) {
                        next.next(permit);
                    }
                })
                .doOnCancel(() -> abandon(waiter));
        });
    }

    /**
     * A permit now if one is free, without queueing; fair all the same, since a permit only sits
     * free while nobody waits for it (a release hands it straight to the first waiter).
     */
    public synchronized Optional<Permit> tryAcquire() {
        if (available == 0) {
            return Optional.empty();
        }
        available--;
        return Optional.of(new Permit());
    }

    /** Runs {@code work} holding a permit and releases it on completion, error or cancel. */
    public <T> Mono<T> withPermit(Mono<T> work) {
        return Mono.usingWhen(acquire(), permit -> work, permit -> Mono.fromRunnable(permit::release));
    }

    /** Like {@link #withPermit(Mono)} for a stream: the permit is held until it terminates. */
    public <T> Flux<T> withPermit(Publisher<T> work) {
        return Flux.usingWhen(acquire(), permit -> work, permit -> Mono.fromRunnable(permit::release));
    }

    public int permits() {
        return permits;
    }

    public synchronized int available() {
        return available;
    }

    /** Tasks waiting for a permit, so tests and metrics can see nobody is left waiting. */
    public synchronized int waiters() {
        return waiters.size();
    }

    private void handOver() {
        Waiter next = null;
        synchronized (this) {
            while (next == null && !waiters.isEmpty()) {
                Waiter candidate = waiters.poll();
                // A waiter whose cancel won the race is skipped: the permit goes to the next one.
                if (candidate.state.get() == Waiter.WAITING) {
                    candidate.grant(new Permit());
                    next = candidate;
                }
            }
            if (next == null) {
                available++;
                return;
            }
        }
        next.sink.success(next.permit);
    }

    /** A waiter's task was cancelled: leave the queue, or give back a permit it never took. */
    private void abandon(Waiter waiter) {
        synchronized (this) {
            if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.CANCELLED)) {
                waiters.remove(waiter);
                return;
            }
        }
        if (waiter.state.compareAndSet(Waiter.GRANTED, Waiter.CANCELLED)) {
            waiter.permit.release();
        }
    }

    /**
     * One task inside {@code acquire()}. Its state leaves WAITING once, under the monitor: to
     * GRANTED (a permit was assigned) or CANCELLED; a granted permit then ends DELIVERED (the
     * subscriber owns it) or CANCELLED (returned), by compare-and-set, never both.
     */
    private static final class Waiter {

        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int DELIVERED = 2;
        static final int CANCELLED = 3;

        private final AtomicInteger state = new AtomicInteger(WAITING);

        private volatile MonoSink<Permit> sink;

        private volatile Permit permit;

        void grant(Permit granted) {
            permit = granted;
            state.set(GRANTED);
        }
    }

    /** One acquired permit; {@link #release()} gives it back once, later calls do nothing. */
    public final class Permit {

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        /** Returns the permit to the semaphore (to the next live waiter first); idempotent. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                handOver();
            }
        }

        public boolean isReleased() {
            return released.get();
        }
    }
}
