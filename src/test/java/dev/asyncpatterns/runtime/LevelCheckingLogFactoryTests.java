package dev.asyncpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LevelCheckingLogFactoryTests {

    private static final String NAME = "dev.asyncpatterns.runtime.LevelCheckingLogFactoryTests.logger";

    private final Logger logback = (Logger) LoggerFactory.getLogger(NAME);
    /** Takes each event's caller at append time, as a pattern with the caller would: it is found lazily. */
    private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.getCallerData();
            super.append(event);
        }
    };

    /** A lazy message, as Spring's {@code LogMessage}: it counts how often it is made into text. */
    private static final class CountedMessage {
        final AtomicInteger rendered = new AtomicInteger();

        @Override
        public String toString() {
            rendered.incrementAndGet();
            return "the message";
        }
    }

    @BeforeEach
    void capture() {
        events.start();
        logback.addAppender(events);
    }

    @AfterEach
    void release() {
        logback.detachAppender(events);
        logback.setLevel(null);
    }

    @Test
    void commonsLoggingFindsThisFactory() {
        assertThat(LogFactory.getFactory()).isInstanceOf(LevelCheckingLogFactory.class);
        assertThat(LogFactory.getLog(NAME)).isInstanceOf(LevelCheckingLog.class);
    }

    @Test
    void aMessageBelowTheLevelIsNeverMadeIntoText() {
        logback.setLevel(Level.INFO);
        CountedMessage message = new CountedMessage();
        Log log = LogFactory.getLog(NAME);

        log.debug(message);
        log.trace(message, new IllegalStateException("ignored"));

        assertThat(message.rendered).hasValue(0);
        assertThat(events.list).isEmpty();
    }

    @Test
    void aMessageAtTheLevelIsLoggedOnceWithItsCauseAndItsCaller() {
        logback.setLevel(Level.DEBUG);
        CountedMessage message = new CountedMessage();
        IllegalStateException cause = new IllegalStateException("the cause");

        LogFactory.getLog(NAME).debug(message, cause);

        assertThat(message.rendered).hasValue(1);
        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getFormattedMessage()).isEqualTo("the message");
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("the cause");
            assertThat(event.getCallerData()[0].getClassName()).isEqualTo(LevelCheckingLogFactoryTests.class.getName());
        });
    }

    @Test
    void fatalIsAnError() {
        logback.setLevel(Level.ERROR);
        Log log = LogFactory.getLog(NAME);

        log.warn("not this one");
        log.fatal("this one");

        assertThat(log.isFatalEnabled()).isTrue();
        assertThat(log.isWarnEnabled()).isFalse();
        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).isEqualTo("this one");
        });
    }
}
