package dev.asyncpatterns.patterns;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.EventLoopLagProbe;
import dev.asyncpatterns.runtime.WorkSchedulers;

import reactor.core.publisher.Mono;

/**
 * {@code asyncio.to_thread} and {@code loop.run_in_executor(ProcessPoolExecutor)}: a blocking call
 * ({@code Thread.sleep(blockingMs)}) runs on the bounded blocking pool and a CPU-bound one (a
 * prime sieve up to {@code cpuN}) on the CPU pool, at the same time, while the event-loop lag
 * probe watches the Netty loops; the worst lag it saw meanwhile is part of the timeline.
 */
@Component
class ExecutorPattern implements Pattern<ExecutorPattern.Params> {

    static final String BLOCKING = "blocking";
    static final String CPU = "cpu";
    static final String LOOP = "event-loop";
    static final String STARTED = "started";
    static final String FINISHED = "finished";
    static final String WORST_LAG = "worst-lag-ms";
    static final String SAMPLES = "lag-samples";

    private final WorkSchedulers schedulers;
    private final EventLoopLagProbe probe;

    ExecutorPattern(WorkSchedulers schedulers, EventLoopLagProbe probe) {
        this.schedulers = schedulers;
        this.probe = probe;
    }

    /**
     * @param blockingMs how long the blocking call sleeps (default 200)
     * @param cpuN the sieve's upper bound (default 2000000)
     */
    record Params(@Min(0) @Max(10_000) Integer blockingMs, @Min(2) @Max(20_000_000) Integer cpuN) {

        Params {
            blockingMs = blockingMs != null ? blockingMs : 200;
            cpuN = cpuN != null ? cpuN : 2_000_000;
        }
    }

    /**
     * @param blockingThread where the blocking call ran (an {@code ap-blocking} thread)
     * @param cpuThread where the CPU work ran (an {@code ap-cpu} thread)
     * @param offLoop whether both ran on those pools rather than on an event loop
     * @param primes the CPU work's result: primes up to cpuN
     * @param worstLoopLagMs the worst lag of any Netty event loop while the work ran
     * @param lagSamples how many probe runs that is based on (0: the probe is off or the run was short)
     */
    record Summary(String blockingThread, String cpuThread, boolean offLoop, long primes, long worstLoopLagMs,
            int lagSamples) {
    }

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        Pattern.requireWithinBudget("blockingMs", params.blockingMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        return Mono.using(probe::openWindow, window -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            Mono<Void> blocking = Mono.<Void>fromRunnable(() -> {
                timeline.record(BLOCKING, STARTED, Thread.currentThread().getName());
                sleep(params.blockingMs());
                timeline.record(BLOCKING, FINISHED, Thread.currentThread().getName());
            }).subscribeOn(schedulers.blocking());
            Mono<Void> cpu = Mono.<Void>fromRunnable(() -> {
                timeline.record(CPU, STARTED, Thread.currentThread().getName());
                long primes = countPrimes(params.cpuN(), cancelled);
                timeline.record(CPU, FINISHED, Long.toString(primes));
            }).subscribeOn(schedulers.cpu());
            return Mono.when(blocking, cpu)
                .doOnCancel(() -> cancelled.set(true))
                .publishOn(timeline.loop())
                .doOnSuccess(v -> {
                    timeline.record(LOOP, WORST_LAG, Long.toString(window.maxLagMs()));
                    timeline.record(LOOP, SAMPLES, Integer.toString(window.samples()));
                });
        }, EventLoopLagProbe.Window::close);
    }

    /** The blocking call itself; only ever runs on {@code WorkSchedulers.blocking()} (see above). */
    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        }
        catch (InterruptedException ex) {
            // Cancelled while blocked: keep the flag for the pool and stop.
            Thread.currentThread().interrupt();
        }
    }

    /** Sieve of Eratosthenes; checks for cancellation so a cancelled run frees its CPU thread. */
    static long countPrimes(int n, AtomicBoolean cancelled) {
        BitSet composite = new BitSet(n + 1);
        long count = 0;
        for (int i = 2; i <= n; i++) {
            if ((i & 0xFFFF) == 0 && cancelled.get()) {
                return count;
            }
            if (!composite.get(i)) {
                count++;
                for (long j = (long) i * i; j <= n; j += i) {
                    composite.set((int) j);
                }
            }
        }
        return count;
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        String blockingThread = detail(events, BLOCKING, STARTED);
        String cpuThread = detail(events, CPU, STARTED);
        boolean offLoop = blockingThread != null && blockingThread.startsWith("ap-blocking")
                && cpuThread != null && cpuThread.startsWith("ap-cpu");
        return new Summary(blockingThread, cpuThread, offLoop, parse(detail(events, CPU, FINISHED)),
                parse(detail(events, LOOP, WORST_LAG)), (int) parse(detail(events, LOOP, SAMPLES)));
    }

    private static String detail(List<TimelineEvent> events, String task, String event) {
        return events.stream().filter(e -> e.task().equals(task) && e.event().equals(event)).map(TimelineEvent::detail)
            .findFirst().orElse(null);
    }

    private static long parse(String value) {
        return value == null ? -1 : Long.parseLong(value);
    }
}
