package dev.asyncpatterns.jobs;


import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.type.SleepJobType;
import dev.asyncpatterns.jobs.type.TickerJobType;
import dev.asyncpatterns.runtime.LoopTimers;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static dev.asyncpatterns.jobs.JobRegistryFixture.registry;
import static dev.asyncpatterns.jobs.JobRegistryFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The design behind "100,000 running sleep jobs in a 512 MiB heap": a running timer job holds no
 * thread, only a timer. The heap each job holds is measured by the benchmark (W4 in
 * {@code bench/}: 100,000 running sleep jobs against the jar, heap after full GCs, at most 1 KiB
 * per job), not here: reading the heap inside a test JVM needs the collector to settle first,
 * which no unit test can wait for without a real-time sleep.
 */
class JobFootprintTests {

    private static final int JOBS = 20_000;

    @Test
    void runningSleepAndTickerJobsHoldNoThreadOfTheirOwn() throws InterruptedException {
        JobRegistry registry = registry(properties(JOBS * 2, 10, 3_600_000, 60_000, 0), new SimpleMeterRegistry(),
                new SleepJobType(new LoopTimers(List::of)), new TickerJobType());
        int threadsBefore = Thread.activeCount();

        for (int i = 0; i < JOBS / 2; i++) {
            registry.submit(request("sleep", "{\"durationMs\": 3600000, \"steps\": 60}", 7_200_000L), SYSTEM);
            registry.submit(request("ticker", "{\"intervalMs\": 600000}", 7_200_000L), SYSTEM);
        }

        assertThat(registry.activeCount()).isEqualTo(JOBS);
        // Timers only: the shared parallel scheduler may start its few threads, nothing per job.
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(Runtime.getRuntime().availableProcessors() + 4);

        JobRegistryFixture.stop(registry, 30);
        assertThat(registry.activeCount()).isZero();
    }
}
