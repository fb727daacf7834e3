package dev.asyncpatterns.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.netty.util.concurrent.EventExecutor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.stereotype.Component;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Timers for work that an event loop of the web server runs: on that same loop, as asyncio's
 * {@code loop.call_later} is. A timer on Reactor's parallel scheduler crosses to another thread
 * twice: the loop queues it and wakes a parallel worker, which parks until the deadline with a
 * timed wait. With one short timer per job that was the parallel threads' whole CPU per
 * {@code POST /api/jobs} (16 µs a request, most of it parking and waking, in bench W3). A loop
 * keeps its timers in its own queue and waits for the nearest one in the wait it makes for I/O
 * anyway. Anywhere else (a test's thread, a scheduler's thread) the timer goes to
 * {@link Schedulers#parallel()}, asked at each call so a test's virtual time replaces it. Used for
 * a sleep job's slices and for a job's timeout.
 *
 * <p>The loop's work after the timer must be as non-blocking as a parallel thread's already had to
 * be (BlockHound checks both). The loops stop after the job registry has stopped, so a pending timer
 * is always cancelled or fired before its loop goes away.
 */
@Component
public class LoopTimers {

    private final Supplier<? extends Iterable<EventExecutor>> loops;
    private volatile List<LoopScheduler> schedulers;

    @Autowired
    LoopTimers(ObjectProvider<ReactorResourceFactory> resourceFactory) {
        this(ServerLoops.of(resourceFactory));
    }

    /** Timers on the loops of {@code loops}; for tests that bring their own loops, or none. */
    public LoopTimers(Supplier<? extends Iterable<EventExecutor>> loops) {
        this.loops = loops;
    }

    /** The calling event loop's timers, or the parallel scheduler off the loops. */
    public Scheduler current() {
        for (LoopScheduler candidate : schedulers()) {
            if (candidate.loop().inEventLoop()) {
                return candidate.scheduler();
            }
        }
        return Schedulers.parallel();
    }

    private List<LoopScheduler> schedulers() {
        List<LoopScheduler> known = schedulers;
        if (known == null) {
            List<LoopScheduler> created = new ArrayList<>();
            // Never disposed: disposing would shut the loop down, and the web server owns it.
            loops.get().forEach(loop -> created.add(new LoopScheduler(loop,
                    Schedulers.fromExecutorService(loop, "loop-timers-" + created.size()))));
            known = List.copyOf(created);
            schedulers = known;
        }
        return known;
    }

    private record LoopScheduler(EventExecutor loop, Scheduler scheduler) {
    }
}
