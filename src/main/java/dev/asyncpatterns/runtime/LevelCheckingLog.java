package dev.asyncpatterns.runtime;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.CallerBoundaryAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One Commons Logging logger on an SLF4J one ({@link LevelCheckingLogFactory}): the level is
 * checked before the message is turned into a string, and the caller stays the class that logged
 * (for a pattern that prints it), not this one. Fatal is SLF4J's error, as in commons-logging.
 */
final class LevelCheckingLog implements Log {

    /** Where the caller's frames start, for the location a pattern may print. */
    private static final String BOUNDARY = LevelCheckingLog.class.getName();

    private final Logger logger;

    LevelCheckingLog(Logger logger) {
        this.logger = logger;
    }

    private void log(Level level, Object message, @Nullable Throwable failure) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder event = logger.makeLoggingEventBuilder(level).setMessage(String.valueOf(message));
        if (failure != null) {
            event.setCause(failure);
        }
        if (event instanceof CallerBoundaryAware boundary) {
            boundary.setCallerBoundary(BOUNDARY);
        }
        event.log();
    }

    @Override
    public boolean isTraceEnabled() {
        return logger.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return logger.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return logger.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return logger.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return logger.isErrorEnabled();
    }

    @Override
    public boolean isFatalEnabled() {
        return logger.isErrorEnabled();
    }

    @Override
    public void trace(Object message) {
        log(Level.TRACE, message, null);
    }

    @Override
    public void trace(Object message, Throwable failure) {
        log(Level.TRACE, message, failure);
    }

    @Override
    public void debug(Object message) {
        log(Level.DEBUG, message, null);
    }

    @Override
    public void debug(Object message, Throwable failure) {
        log(Level.DEBUG, message, failure);
    }

    @Override
    public void info(Object message) {
        log(Level.INFO, message, null);
    }

    @Override
    public void info(Object message, Throwable failure) {
        log(Level.INFO, message, failure);
    }

    @Override
    public void warn(Object message) {
        log(Level.WARN, message, null);
    }

    @Override
    public void warn(Object message, Throwable failure) {
        log(Level.WARN, message, failure);
    }

    @Override
    public void error(Object message) {
        log(Level.ERROR, message, null);
    }

    @Override
    public void error(Object message, Throwable failure) {
        log(Level.ERROR, message, failure);
    }

    @Override
    public void fatal(Object message) {
        log(Level.ERROR, message, null);
    }

    @Override
    public void fatal(Object message, Throwable failure) {
        log(Level.ERROR, message, failure);
    }
}
