package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/**
 * The audit console holds the lines of a batch until the audit writer flushes it, then writes them
 * at once. The appender gets its own console rather than a swapped {@code System.out}: other tests'
 * threads in this JVM log to {@code System.out} at any time, and their writes would be counted.
 */
class AuditConsoleAppenderTests {

    private final Console console = new Console();
    private final PrintStream consoleStream = new PrintStream(console, false, StandardCharsets.UTF_8);
    private final LoggerContext context = new LoggerContext();
    private final AuditConsoleAppender appender = new AuditConsoleAppender(() -> consoleStream);

    @BeforeEach
    void start() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }

    @AfterEach
    void stopTheAppender() {
        appender.stop();
    }

    @Test
    void theLinesOfABatchAreWrittenInOneGoWhenFlushed() throws IOException {
        for (int i = 0; i < 3; i++) {
            appender.doAppend(line("line " + i));
        }
        assertThat(console.writes).hasValue(0);

        appender.getOutputStream().flush();

        assertThat(console.writes).hasValue(1);
        assertThat(console.text()).isEqualTo("line 0%nline 1%nline 2%n".formatted());
    }

    @Test
    void stoppingWritesWhatIsLeft() {
        appender.doAppend(line("last"));

        appender.stop();

        assertThat(console.text()).isEqualTo("last%n".formatted());
    }

    private LoggingEvent line(String message) {
        return new LoggingEvent(getClass().getName(), context.getLogger(AuditLog.LOGGER), Level.INFO, message, null, null);
    }

    /** System.out's stream, counting the writes it is given. */
    private static final class Console extends OutputStream {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicInteger writes = new AtomicInteger();

        @Override
        public void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
