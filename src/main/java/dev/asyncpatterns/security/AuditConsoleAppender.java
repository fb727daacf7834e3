package dev.asyncpatterns.security;

import java.io.ByteArrayOutputStream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * The audit lines' console (logback-spring.xml): collects the lines of a batch and hands them to
 * {@code System.out} in one write when {@link AuditAppender} has written the batch. Logback's
 * {@code ConsoleAppender} makes one write, a system call, per line ({@code System.out} buffers
 * 128 bytes, less than a line): about 1.5% of a {@code POST /api/jobs}'s CPU in a profile of bench
 * W3, for the audit line alone. Only whole lines are written, so the service's other console lines
 * never land inside one. {@code System.out} is looked up at each write, as Logback's console does,
 * so a redirected or captured {@code System.out} gets the lines.
 */
public class AuditConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new Batch());
        super.start();
    }

    /**
     * The lines appended since the last flush; a batch is at most {@link AuditAppender}'s 1,024
     * lines, so it stays as large as the largest batch and no larger.
     */
    private static final class Batch extends ByteArrayOutputStream {

        @Override
        public synchronized void flush() {
            if (count > 0) {
                System.out.write(buf, 0, count);
                System.out.flush();
                reset();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
