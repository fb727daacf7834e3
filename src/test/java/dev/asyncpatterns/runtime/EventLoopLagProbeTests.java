package dev.asyncpatterns.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class EventLoopLagProbeTests {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventLoopLagProbe probe = new EventLoopLagProbe(new EventLoopProperties(true, 20, 100), registry,
            () -> group);

    @AfterEach
    void shutDown() {
        probe.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * CPU-bound on purpose: hogs the loop without any call BlockHound would flag (it even flags
     * {@code Thread.onSpinWait}), returning a value so the loop cannot be optimised away.
     */
    static long spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        return spins;
    }

    @Test
    void aHoggedLoopShowsUpAsLagInTheTimerAndAWarningNamingIt(CapturedOutput output) {
        probe.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.loopNames().size() == 2);
        AtomicReference<String> hogged = new AtomicReference<>();
        group.next().execute(() -> {
            hogged.set(Thread.currentThread().getName());
            spin(Duration.ofMillis(400));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> hogged.get() != null && probe.maxLagMs(hogged.get()) >= 200);
        Timer timer = registry.get("asyncpatterns.eventloop.lag").tag("loop", hogged.get()).timer();
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> output.getOut().contains("Event loop " + hogged.get() + " ran a task"));
        List<String> others = probe.loopNames().stream().filter(name -> !name.equals(hogged.get())).toList();
        assertThat(others).singleElement().satisfies(name -> assertThat(probe.maxLagMs(name)).isLessThan(200));
    }

    @Test
    void aWindowReportsTheWorstLagWhileItWasOpen() {
        probe.start();
        try (EventLoopLagProbe.Window window = probe.openWindow()) {
            group.next().execute(() -> spin(Duration.ofMillis(300)));
            await().atMost(Duration.ofSeconds(10)).until(() -> window.maxLagMs() >= 150);
            assertThat(window.samples()).isPositive();
        }
    }

    @Test
    void stopCancelsTheProbesSoNoMoreTicksRun() {
        probe.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.loopNames().size() == 2);
        probe.stop();
        long ticks = totalTicks();
        // A loop runs its scheduled tasks in deadline order: a tick left scheduled (due within one
        // interval) would run before a control task due three intervals from now.
        List<Future<?>> controls = new ArrayList<>();
        group.forEach(loop -> controls.add(loop.schedule(() -> { }, 60, TimeUnit.MILLISECONDS)));
        await().atMost(Duration.ofSeconds(10)).until(() -> controls.stream().allMatch(Future::isDone));
        assertThat(totalTicks()).isEqualTo(ticks);
        assertThat(probe.isRunning()).isFalse();
    }

    private long totalTicks() {
        return registry.find("asyncpatterns.eventloop.lag").timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void aRestartedProbeKeepsOneGaugePerLoopAndTicksAgain() {
        probe.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.loopNames().size() == 2);
        probe.stop();
        long ticks = totalTicks();
        probe.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> totalTicks() > ticks);
        assertThat(registry.find("asyncpatterns.eventloop.lag.last").gauges()).hasSize(2);
    }
}
