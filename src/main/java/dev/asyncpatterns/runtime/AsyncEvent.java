package dev.asyncpatterns.runtime;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * asyncio's {@code Event}: {@link #await()} completes once the event is set (at once if it
 * already is), {@link #set()} wakes every waiter, {@link #clear()} makes later waits wait again.
 *
 * <p>Each set/clear generation is one replaying {@link Sinks.Empty}, so Reactor does the waking
 * and a cancelled waiter simply unsubscribes. The sink is completed outside the monitor, so no
 * waiter's continuation runs under it.
 */
public final class AsyncEvent {

    private Sinks.Empty<Void> generation = Sinks.empty();
    private boolean set;

    /** Completes when the event is set; cancelling it leaves nothing behind. */
    public Mono<Void> await() {
        return Mono.defer(() -> current().asMono());
    }

    /** Sets the event and wakes every task waiting for it. */
    public void set() {
        Sinks.Empty<Void> toComplete;
        synchronized (this) {
            set = true;
            toComplete = generation;
        }
        // Concurrent set() calls race on the same sink; a loser's FAIL_* result is harmless.
        toComplete.tryEmitEmpty();
    }

    /** Clears the event: tasks calling {@link #await()} from now on wait for the next set. */
    public synchronized void clear() {
        if (set) {
            set = false;
            generation = Sinks.empty();
        }
    }

    public synchronized boolean isSet() {
        return set;
    }

    /** Tasks waiting for the current generation, so tests can see nobody is left waiting. */
    public int waiters() {
        return current().currentSubscriberCount();
    }

    private synchronized Sinks.Empty<Void> current() {
        return generation;
    }
}
