package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.runtime.LoopTimers;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;

class JobRunnerTests {

    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AdmissionControl admission = new AdmissionControl(10, 1, List.of());
    private final JobRunner runner = runner(Schedulers::parallel);
    private final ControlledJobType controlled = new ControlledJobType();

    private JobRunner runner(Supplier<Scheduler> timers) {
        return new JobRunner(Clock.systemUTC(), admission,
                new JobRetention(new JobsProperties.Retention(100, Duration.ofHours(1)), jobs, Clock.systemUTC()),
                new JobMetrics(meters, admission), job -> { }, (job, outcome, error) -> false, timers);
    }

    /** A job admitted and held by the registry, as {@link JobRegistry#start} leaves it for the runner. */
    private Job admitted(String type) {
        return admitted(type, 0);
    }

    private Job admitted(String type, long timeoutMs) {
        Job job = new Job(JobId.random(), 1, type, null, null, timeoutMs, 0, null);
        admission.admit(job.id(), JobCaller.SYSTEM, JobCost.NONE);
        jobs.put(job.id(), job);
        return job;
    }

    /** A job type named {@code name} whose run is {@code work}, asked for at each start. */
    private static JobType<Object> type(String name, Supplier<Mono<?>> work) {
        return new JobType<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<Object> paramsType() {
                return Object.class;
            }

            @Override
            public Mono<?> run(Object params, JobContext context) {
                return work.get();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static JobType<Object> untyped(JobType<?> type) {
        return (JobType<Object>) type;
    }

    @Test
    void aTypeThatThrowsInsteadOfReturningItsWorkFailsTheJobAndGivesItsSlotBack() {
        JobType<Object> throwing = type("throwing", () -> {
            throw new IllegalArgumentException("cannot start");
        });
        Job job = admitted("throwing");

        runner.run(job, throwing, null, 0);

        assertThatJob(job.view()).failedWith("IllegalArgumentException");
        assertThat(admission.activeCount()).isZero();
        assertThat(meters.get("asyncpatterns.jobs.finished").tag("state", "FAILED").counter().count()).isEqualTo(1);
    }

    @Test
    void whoeverAwaitsAJobsEndFindsItsSlotAlreadyFreeWhenTheyHearOfIt() {
        Job job = admitted("controlled");
        runner.run(job, untyped(controlled), new ControlledJobType.Params(1), 0);
        List<Integer> activeWhenHeard = new java.util.concurrent.CopyOnWriteArrayList<>();
        job.awaitTerminal().doOnTerminate(() -> activeWhenHeard.add(admission.activeCount())).subscribe();

        controlled.last().succeed("done");

        assertThat(activeWhenHeard).containsExactly(0);
    }

    @Test
    void onlyTheFirstWayToATerminalStateCountsAndGivesBackTheSlot() {
        Job job = admitted("controlled");
        runner.run(job, untyped(controlled), new ControlledJobType.Params(1), 0);

        assertThat(runner.cancel(job, CancelReason.USER)).isTrue();
        assertThat(runner.cancel(job, CancelReason.SHUTDOWN)).isFalse();
        controlled.last().succeed("late");

        assertThatJob(job.view()).isCancelledBecause(CancelReason.USER);
        controlled.last().probe().assertWasCancelled();
        assertThat(admission.activeCount()).isZero();
        assertThat(meters.find("asyncpatterns.jobs.finished").counters()).singleElement()
            .satisfies(counter -> assertThat(counter.count()).isEqualTo(1));
        assertThat(meters.get("asyncpatterns.jobs.started").counter().count()).isEqualTo(1);
    }

    @Test
    void aJobStartedOnAnEventLoopIsTimedOutByThatLoop() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            JobRunner onLoops = runner(new LoopTimers(() -> group)::current);
            EventExecutor loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
            CompletableFuture<Thread> cancelledOn = new CompletableFuture<>();
            JobType<Object> endless = type("endless",
                    () -> Mono.never().doOnCancel(() -> cancelledOn.complete(Thread.currentThread())));
            Job job = admitted("endless", 50);

            loop.execute(() -> onLoops.run(job, endless, null, 0));

            assertThat(cancelledOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread);
            job.awaitTerminal().block(Duration.ofSeconds(10));
            assertThat(job.view().state()).isEqualTo(JobState.TIMED_OUT);
        }
        finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
