package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loop that fails on every pass logs once per period, with a count of what it held back; a
 * store failure is a WARN with its message, anything else (a bug) an ERROR with its stack.
 */
class RepeatedFailureLogTests {

    private static final Duration PERIOD = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong(42);
    private final Logger logger = (Logger) LoggerFactory.getLogger(RepeatedFailureLogTests.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RepeatedFailureLog failures;

    RepeatedFailureLogTests() {
        lines.start();
        logger.addAppender(lines);
        failures = new RepeatedFailureLog(logger, "Reaper pass failed", PERIOD, nanos::get);
    }

    @Test
    void aFailureThatRepeatsIsLoggedOncePerPeriodWithTheCountHeldBack() {
        DataAccessResourceFailureException gone = new DataAccessResourceFailureException("database gone");

        failures.failed(gone);
        failures.failed(gone);
        nanos.addAndGet(PERIOD.toNanos() - 1);
        failures.failed(gone);
        nanos.addAndGet(1);
        failures.failed(gone);

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Reaper pass failed (0 more since the last report): " + gone,
                "Reaper pass failed (2 more since the last report): " + gone);
        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
    }

    @Test
    void aFailureThatIsNotTheStoresIsAnErrorWithItsStack() {
        NullPointerException bug = new NullPointerException("row was null");

        failures.failed(bug);

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getThrowableProxy().getMessage()).isEqualTo("row was null");
        });
    }
}
