package dev.asyncpatterns.runtime;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The two bounded places where work that must not run on the event loop goes: a CPU pool sized
 * to the cores (asyncio's {@code ProcessPoolExecutor}) and a bounded-elastic pool with a bounded
 * task queue for blocking calls ({@code asyncio.to_thread}). Both are disposed with the context.
 */
@Component
public class WorkSchedulers implements DisposableBean {

    private final Scheduler cpu;
    private final Scheduler blocking;

    public WorkSchedulers(RuntimeProperties properties) {
        int cpuThreads = properties.cpuThreads() > 0 ? properties.cpuThreads()
                : Runtime.getRuntime().availableProcessors();
        // Non-blocking threads: BlockHound fails any blocking call made on the CPU pool too.
        this.cpu = Schedulers.newParallel("ap-cpu", cpuThreads, true);
        this.blocking = Schedulers.newBoundedElastic(properties.blockingThreads(), properties.blockingQueue(),
                "ap-blocking", 60, true);
    }

    /** For CPU-bound loops; its threads are marked non-blocking. */
    public Scheduler cpu() {
        return cpu;
    }

    /** For calls that block a thread (sleep, file or JDBC I/O); bounded in threads and queue. */
    public Scheduler blocking() {
        return blocking;
    }

    @Override
    public void destroy() {
        cpu.dispose();
        blocking.dispose();
    }
}
