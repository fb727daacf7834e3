package dev.asyncpatterns.security;

import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The audit logger's appender (logback-spring.xml): Logback's {@link AsyncAppender}, so the
 * console, or the pipe behind it, is written on Logback's own thread and an event loop never
 * waits for it. Configured with {@code neverBlock} and no early discarding: every line is kept
 * while there is room and dropped, never waited for, when the queue is full.
 *
 * <p>The one addition is a count of those drops for {@code asyncpatterns.audit.dropped}, which
 * Logback does not keep. It counts a line that meets a full queue. Logback decides on its own
 * when two threads race for the last free place, and the loser is then dropped uncounted, so
 * under contention the count is a lower bound.
 */
public class AuditAppender extends AsyncAppender {

    private final LongAdder dropped = new LongAdder();

    @Override
    protected void append(ILoggingEvent event) {
        if (isStarted() && getRemainingCapacity() == 0) {
            dropped.increment();
            return;
        }
        super.append(event);
    }

    /** Lines dropped because the queue was full when they came. */
    long dropped() {
        return dropped.sum();
    }
}
