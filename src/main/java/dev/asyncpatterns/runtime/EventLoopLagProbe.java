package dev.asyncpatterns.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.stereotype.Component;


/**
 * asyncio's debug-mode slow-callback detector for Netty: every {@code interval} a tiny task is
 * scheduled on each event loop of the HTTP server, and how late it runs is that loop's lag. A
 * loop that something blocks or hogs runs it late; the lag is recorded in the
 * {@code asyncpatterns.eventloop.lag} timer (tag {@code loop}: the loop's thread name, as many
 * values as loops), its last value in the {@code asyncpatterns.eventloop.lag.last} gauge, and a
 * WARN names the loop past {@code warn-threshold}. Work that wants the worst lag seen while it
 * ran opens a {@link Window}. Started after the web server, stopped (tasks cancelled) before it.
 */
@Component
public class EventLoopLagProbe implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventLoopLagProbe.class);

    private final EventLoopProperties properties;
    private final MeterRegistry registry;
    private final Supplier<EventLoopGroup> loops;
    private final List<LoopProbe> probes = new ArrayList<>();
    private final Set<Window> windows = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> lastLag = new ConcurrentHashMap<>();
    private volatile boolean running;

    @Autowired
    EventLoopLagProbe(EventLoopProperties properties, MeterRegistry registry,
            ObjectProvider<ReactorResourceFactory> resourceFactory) {
        this(properties, registry, ServerLoops.of(resourceFactory));
    }

    /** Probes the loops of {@code loops}; for tests that bring their own event loop group. */
    public EventLoopLagProbe(EventLoopProperties properties, MeterRegistry registry,
            Supplier<EventLoopGroup> loops) {
        this.properties = properties;
        this.registry = registry;
        this.loops = loops;
    }

    @Override
    public synchronized void start() {
        if (running || !properties.enabled()) {
            return;
        }
        running = true;
        for (EventExecutor loop : loops.get()) {
            LoopProbe probe = new LoopProbe(loop);
            probes.add(probe);
            probe.scheduleNext();
        }
        log.info("Event-loop lag probe started on {} loops, every {} ms, warning above {} ms", probes.size(),
                properties.interval().toMillis(), properties.warnThreshold().toMillis());
    }

    @Override
    public synchronized void stop() {
        running = false;
        probes.forEach(LoopProbe::cancel);
        probes.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts collecting the worst lag of any loop until {@link Window#close()}. */
    public Window openWindow() {
        Window window = new Window();
        windows.add(window);
        return window;
    }

    /** The highest lag recorded so far for the loop running on {@code threadName}, in ms; -1 if unknown. */
    public synchronized long maxLagMs(String threadName) {
        return probes.stream().filter(p -> threadName.equals(p.name)).mapToLong(p -> p.maxLagNanos.get())
            .map(TimeUnit.NANOSECONDS::toMillis).findFirst().orElse(-1);
    }

    /** Thread names of the probed loops (known once each has run its first probe). */
    public synchronized List<String> loopNames() {
        return probes.stream().map(p -> p.name).filter(name -> name != null).toList();
    }

    private void observe(LoopProbe probe, long lagNanos) {
        if (probe.timer == null) {
            probe.name = Thread.currentThread().getName();
            probe.timer = Timer.builder("asyncpatterns.eventloop.lag")
                .description("How late a task scheduled on a Netty event loop ran")
                .tag("loop", probe.name)
                .register(registry);
            // One gauge per loop for the bean's life: a restart (stop/start) creates new LoopProbes
            // for the same loops, and a gauge registered twice would keep reading the old one.
            probe.lastLagNanos = lastLag.computeIfAbsent(probe.name, this::registerLastLagGauge);
        }
        probe.timer.record(lagNanos, TimeUnit.NANOSECONDS);
        probe.lastLagNanos.set(lagNanos);
        probe.maxLagNanos.accumulateAndGet(lagNanos, Math::max);
        windows.forEach(window -> window.observe(lagNanos));
        long lagMs = TimeUnit.NANOSECONDS.toMillis(lagNanos);
        if (lagMs > properties.warnThreshold().toMillis()) {
            log.warn("Event loop {} ran a task {} ms late (threshold {} ms): something blocked or hogged it",
                    probe.name, lagMs, properties.warnThreshold().toMillis());
        }
    }

    private AtomicLong registerLastLagGauge(String loopName) {
        AtomicLong last = new AtomicLong();
        Gauge.builder("asyncpatterns.eventloop.lag.last", last, nanos -> nanos.get() / 1e9)
            .description("The last measured lag of a Netty event loop")
            .tag("loop", loopName)
            .baseUnit("seconds")
            .register(registry);
        return last;
    }

    /** One loop's self-rescheduling probe task; its fields are only written on that loop. */
    private final class LoopProbe {

        private final EventExecutor loop;
        private volatile AtomicLong lastLagNanos;
        private final AtomicLong maxLagNanos = new AtomicLong();
        private volatile String name;
        private volatile Timer timer;
        private volatile Future<?> next;
        private long dueNanos;

        LoopProbe(EventExecutor loop) {
            this.loop = loop;
        }

        void scheduleNext() {
            if (!running || loop.isShuttingDown()) {
                return;
            }
            dueNanos = System.nanoTime() + properties.interval().toNanos();
            next = loop.schedule(this::tick, properties.interval().toNanos(), TimeUnit.NANOSECONDS);
        }

        private void tick() {
            observe(this, Math.max(0, System.nanoTime() - dueNanos));
            scheduleNext();
        }

        void cancel() {
            Future<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    /** The worst lag of any loop between {@link #openWindow()} and {@link #close()}. */
    public final class Window implements AutoCloseable {

        private final AtomicLong maxLagNanos = new AtomicLong();
        private final AtomicInteger samples = new AtomicInteger();

        private Window() {
        }

        void observe(long lagNanos) {
            maxLagNanos.accumulateAndGet(lagNanos, Math::max);
            samples.incrementAndGet();
        }

        public long maxLagMs() {
            return TimeUnit.NANOSECONDS.toMillis(maxLagNanos.get());
        }

        /** Probe runs seen; 0 means the probe is off or the window was shorter than an interval. */
        public int samples() {
            return samples.get();
        }

        @Override
        public void close() {
            windows.remove(this);
        }
    }
}
