package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;

/** The audit appender as logback-spring.xml sets it up: its own queue and writer, never blocking, drops counted. */
class AuditAppenderTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LoggerContext context = new LoggerContext();
    private final Console console = new Console();
    private final AuditAppender appender = new AuditAppender();
    private final Logger audit = context.getLogger(AuditLog.LOGGER);

    private void start(int queueSize) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        console.setContext(context);
        console.start();
        appender.setContext(context);
        appender.setQueueSize(queueSize);
        appender.addAppender(console);
        appender.start();
        audit.setAdditive(false);
        audit.addAppender(appender);
    }

    @AfterEach
    void stop() {
        console.release.countDown();
        context.stop();
    }

    @Test
    void linesAreWrittenInOrderOnTheAppendersThreadButNameTheCaller() {
        start(10);
        for (int i = 0; i < 5; i++) {
            audit.info("line {}", i);
        }

        await().atMost(WAIT).until(() -> console.lines.size() == 5);
        assertThat(console.lines).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
        assertThat(console.threads).doesNotContain(Thread.currentThread().getName());
        assertThat(console.loggedOn).containsOnly(Thread.currentThread().getName());
        assertThat(appender.dropped()).isZero();
    }

    @Test
    void pastTheQueueALineIsDroppedAndCountedInsteadOfMakingTheCallerWait() throws InterruptedException {
        start(3);
        linesBehindAStuckConsole(5);

        assertThat(appender.dropped()).isEqualTo(2);
        console.release.countDown();
        await().atMost(WAIT).until(() -> console.lines.size() == 4);
        assertThat(console.lines).containsExactly("stuck", "line 0", "line 1", "line 2");
    }

    @Test
    void linesStillWaitingWhenLoggingStopsAreWrittenFirst() throws InterruptedException {
        start(100);
        linesBehindAStuckConsole(20);

        console.release.countDown();
        appender.stop();

        assertThat(console.lines).hasSize(21);
    }

    /** The console is stuck on a first line (a pipe that does not drain) while {@code count} more are logged. */
    private void linesBehindAStuckConsole(int count) throws InterruptedException {
        console.holdFirstLine = true;
        audit.info("stuck");
        assertThat(console.writing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < count; i++) {
            audit.info("line {}", i);
        }
    }

    /** Stands for the console: records each line and the thread that wrote it, and can be held up. */
    private static final class Console extends AppenderBase<ILoggingEvent> {

        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<String> loggedOn = new CopyOnWriteArrayList<>();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean holdFirstLine;

        @Override
        protected void append(ILoggingEvent event) {
            if (holdFirstLine && writing.getCount() > 0) {
                writing.countDown();
                awaitRelease();
            }
            lines.add(event.getFormattedMessage());
            threads.add(Thread.currentThread().getName());
            loggedOn.add(event.getThreadName());
        }

        private void awaitRelease() {
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
