package dev.asyncpatterns.security;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

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

    private final Supplier<PrintStream> console;

    /** Logback's constructor: the lines go to whatever {@code System.out} is at each write. */
    public AuditConsoleAppender() {
        this(() -> System.out);
    }

    /**
     * Writes to the given console; tests pass their own, since {@code System.out} is the whole
     * process's and other threads' log lines reach it too.
     */
    AuditConsoleAppender(Supplier<PrintStream> console) {
        this.console = console;
    }

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new Batch(console));
        super.start();
    }

    /**
     * The lines appended since the last flush; a batch is at most {@link AuditAppender}'s 1,024
     * lines, so it stays as large as the largest batch and no larger.
     */
    private static final class Batch extends ByteArrayOutputStream {

        private final Supplier<PrintStream> console;

        Batch(Supplier<PrintStream> console) {
            this.console = console;
        }

        @Override
        public synchronized void flush() {
            if (count > 0) {
                PrintStream out = console.get();
                out.write(buf, 0, count);
                out.flush();
                reset();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
