package dev.asyncpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.type.SleepJobType;
import dev.asyncpatterns.testsupport.RecordingJobContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class LoopTimersTests {

    private static final long WAIT_SECONDS = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final LoopTimers timers = new LoopTimers(() -> group);

    @AfterEach
    void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aTimerAskedForOnALoopFiresOnThatLoop() throws Exception {
        for (EventExecutor loop : group) {
            CompletableFuture<Thread> firedOn = new CompletableFuture<>();
            Thread loopThread = loop.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);

            loop.execute(() -> Mono.delay(Duration.ofMillis(20), timers.current())
                .subscribe(tick -> firedOn.complete(Thread.currentThread())));

            assertThat(firedOn.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(loopThread);
        }
    }

    @Test
    void offTheLoopsTimersGoToTheParallelScheduler() {
        assertThat(timers.current()).isSameAs(Schedulers.parallel());
        assertThat(new LoopTimers(List::of).current()).isSameAs(Schedulers.parallel());
    }

    @Test
    void aCancelledTimerNeverFires() throws Exception {
        AtomicBoolean fired = new AtomicBoolean();
        EventExecutor loop = group.next();
        Scheduler onLoop = loop.submit(timers::current).get(WAIT_SECONDS, TimeUnit.SECONDS);
        Disposable timer = loop.submit(() -> Mono.delay(Duration.ofMillis(200), onLoop)
            .subscribe(tick -> fired.set(true))).get(WAIT_SECONDS, TimeUnit.SECONDS);

        timer.dispose();
        // The loop fires its timers in deadline order: once a later one has fired, the cancelled one's time has passed.
        Mono.delay(Duration.ofMillis(400), onLoop).block(Duration.ofSeconds(WAIT_SECONDS));

        assertThat(fired).isFalse();
    }

    @Test
    void aSleepJobStartedOnALoopSleepsOnThatLoop() throws Exception {
        SleepJobType sleep = new SleepJobType(timers);
        RecordingJobContext context = new RecordingJobContext();
        EventExecutor loop = group.next();
        String loopThread = loop.submit(() -> Thread.currentThread().getName()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        CompletableFuture<SleepJobType.Result> result = new CompletableFuture<>();

        loop.execute(() -> sleep.run(new SleepJobType.Params(30L, 3), context).subscribe(result::complete));

        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new SleepJobType.Result(30));
        // Report 0 comes from the start; each slice's report from the timer that ended it.
        assertThat(context.reports()).extracting(RecordingJobContext.Report::thread).containsOnly(loopThread).hasSize(4);
    }
}
