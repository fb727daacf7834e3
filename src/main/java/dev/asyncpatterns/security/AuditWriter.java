package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;

import reactor.util.concurrent.Queues;

/**
 * Writes audit lines on a thread of its own. The console, or the pipe behind it, can block, and
 * an event loop must never wait for it; formatting a line is also real work on the hot path of
 * every state-changing call. The hand-off is lock-free and bounded: past {@code capacity} lines
 * waiting, a line is dropped and counted in {@code asyncpatterns.audit.dropped} rather than
 * stalling requests. Lines still waiting when the context closes are written before it ends.
 */
final class AuditWriter implements DisposableBean {

    /** Lines waiting at most: a few seconds of a busy service's state-changing calls. */
    static final int CAPACITY = 8192;
    /** How long the writer sleeps when idle before looking again (a new line wakes it at once). */
    private static final long IDLE_PARK_NANOS = Duration.ofMillis(200).toNanos();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final int capacity;
    private final Queue<Runnable> lines = Queues.<Runnable>unboundedMultiproducer().get();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean open = true;

    AuditWriter(MeterRegistry meters) {
        this(CAPACITY, meters);
    }

    AuditWriter(int capacity, MeterRegistry meters) {
        this.capacity = capacity;
        this.dropped = Counter.builder("asyncpatterns.audit.dropped")
            .description("Audit lines dropped because the writer fell too far behind")
            .register(meters);
        this.writer = new Thread(this::drain, "audit-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Hands a line over to the writer thread; never blocks. */
    void write(Runnable line) {
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            dropped.increment();
            return;
        }
        lines.add(line);
        LockSupport.unpark(writer);
    }

    private void drain() {
        while (open || !lines.isEmpty()) {
            Runnable line = lines.poll();
            if (line == null) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            waiting.decrementAndGet();
            try {
                line.run();
            }
            catch (RuntimeException ex) {
                // One line that cannot be written must not stop the ones after it.
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        open = false;
        LockSupport.unpark(writer);
        writer.join(CLOSE_WAIT.toMillis());
    }
}
