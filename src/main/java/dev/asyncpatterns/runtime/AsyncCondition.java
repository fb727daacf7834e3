package dev.asyncpatterns.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * asyncio's {@code Condition}: a lock plus a wait set. Inside {@link #withLock} the body gets a
 * {@link Guard} (the held lock) with {@code await}, {@code waitFor} and the {@code signal} (notify) calls, which
 * like asyncio's are only allowed while the lock is held.
 *
 * <p>{@link Guard#await()} releases the lock, waits for a notify, then re-acquires the lock before
 * it completes. Cancellation is safe: a waiter cancelled before its notify is simply removed; a
 * waiter cancelled after it was chosen by a notify but before it holds the lock again passes the
 * notify on to the next waiter (asyncio's own rule), so no notification is lost; whatever permit
 * the guard holds when the body ends, fails or is cancelled is released exactly once.
 */
public final class AsyncCondition {

    private final AsyncLock lock;
    private final Deque<Waiter> waiters = new ArrayDeque<>();

    public AsyncCondition() {
        this(new AsyncLock());
    }

    /** A condition sharing an existing lock, as {@code asyncio.Condition(lock)}. */
    public AsyncCondition(AsyncLock lock) {
        this.lock = lock;
    }

    /** {@code async with condition:} runs {@code body} holding the lock. */
    public <T> Mono<T> withLock(Function<Guard, Mono<T>> body) {
        return Mono.usingWhen(lock.acquire().map(Guard::new), body, guard -> Mono.fromRunnable(guard::close));
    }

    /** Tasks waiting for a notify (not those waiting for the lock). */
    public synchronized int waiters() {
        return waiters.size();
    }

    public AsyncLock lock() {
        return lock;
    }

    /** Registers a waiter, then runs {@code onRegistered} (which releases the lock). */
    private Mono<Void> notified(Waiter waiter, Runnable onRegistered) {
        return Mono.<Void>create(sink -> {
            waiter.sink = sink;
            synchronized (this) {
                waiters.add(waiter);
            }
            onRegistered.run();
        });
    }

    private void wake(int n) {
        List<Waiter> woken = new ArrayList<>();
        synchronized (this) {
            while (woken.size() < n && !waiters.isEmpty()) {
                Waiter waiter = waiters.poll();
                // A waiter whose cancel won the race is skipped: the notify goes to the next one.
                if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.NOTIFIED)) {
                    woken.add(waiter);
                }
            }
        }
        woken.forEach(waiter -> waiter.sink.success());
    }

    /** A waiter's task was cancelled: leave the wait set, or pass on a notify it already got. */
    private void abandon(Waiter waiter) {
        if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.CANCELLED)) {
            removeWaiter(waiter);
        }
        else if (waiter.state.compareAndSet(Waiter.NOTIFIED, Waiter.CANCELLED)) {
            wake(1);
        }
    }

    private synchronized void removeWaiter(Waiter waiter) {
        waiters.remove(waiter);
    }

    /**
     * One task inside {@code wait()}. Its state moves once out of WAITING, by compare-and-set,
     * either to NOTIFIED (a notify chose it) or to CANCELLED (its task was cancelled first), so a
     * notify and a cancel racing for the same waiter can never both think they lost.
     */
    private static final class Waiter {

        static final int WAITING = 0;
        static final int NOTIFIED = 1;
        static final int CANCELLED = 2;
        static final int RESUMED = 3;

        private final AtomicInteger state = new AtomicInteger(WAITING);

        private volatile MonoSink<Void> sink;
    }

    /** The held lock of one {@link #withLock} body; not shared between tasks. */
    public final class Guard {

        private volatile AsyncSemaphore.Permit permit;

        private volatile boolean closed;

        private Guard(AsyncSemaphore.Permit permit) {
            this.permit = permit;
        }

        /** {@code await condition.wait()}: releases the lock, waits for a notify, re-acquires. */
        public Mono<Void> await() {
            return Mono.defer(() -> {
                checkHeld();
                AsyncSemaphore.Permit held = permit;
                Waiter waiter = new Waiter();
                // The waiter is registered before the lock is released, so a notify sent by
                // whoever takes the lock next cannot be missed.
                return notified(waiter, held::release)
                    .then(lock.acquire())
                    .doOnNext(reacquired -> {
                        waiter.state.set(Waiter.RESUMED);
                        holdAgain(reacquired);
                    })
                    .then()
                    // Cancelled after its notify but before it holds the lock again, this task
                    // passes the notify on, as asyncio does: a spurious wake-up, never a lost one.
                    .doOnCancel(() -> abandon(waiter));
            });
        }

        /** {@code await condition.wait_for(predicate)}: waits until the predicate holds, under the lock. */
        public Mono<Void> waitFor(BooleanSupplier predicate) {
            // repeat() trampolines, so many wake-ups do not nest the chain or grow the stack.
            return Mono.defer(() -> predicate.getAsBoolean() ? Mono.just(true) : await().thenReturn(false))
                .repeat()
                .takeUntil(satisfied -> satisfied)
                .then();
        }

        /** {@code condition.notify()}: wakes the oldest waiting task. */
        public void signal() {
            signal(1);
        }

        /** {@code condition.notify(n)}: wakes up to {@code n} waiting tasks, oldest first. */
        public void signal(int n) {
            checkHeld();
            wake(n);
        }

        /** {@code condition.notify_all()}: wakes every waiting task. */
        public void signalAll() {
            signal(Integer.MAX_VALUE);
        }

        private void checkHeld() {
            if (permit.isReleased()) {
                throw new IllegalStateException("the condition's lock is not held");
            }
        }

        /** Keeps the re-acquired permit, unless the body already ended (then gives it back). */
        private void holdAgain(AsyncSemaphore.Permit reacquired) {
            permit = reacquired;
            if (closed) {
                reacquired.release();
            }
        }

        /** Ends the body: releases whichever permit the guard holds now. */
        private void close() {
            // Volatile write then read, mirrored in holdAgain: whichever runs second releases.
            closed = true;
            permit.release();
        }
    }
}
