package dev.asyncpatterns.security;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;

/**
 * Publishes the audit appender's drops as {@code asyncpatterns.audit.dropped}. The appender is
 * Logback's, made from logback-spring.xml before any bean; this finds it on the audit logger.
 * Under a logging configuration without it (a {@code logging.config} of one's own) there is
 * nothing to count, and the meter is not registered.
 */
final class AuditDropMeter implements MeterBinder {

    static final String METER = "asyncpatterns.audit.dropped";

    @Override
    public void bindTo(MeterRegistry registry) {
        if (LoggerFactory.getLogger(AuditLog.LOGGER) instanceof Logger logger
                && logger.getAppender("AUDIT") instanceof AuditAppender audit) {
            FunctionCounter.builder(METER, audit, AuditAppender::dropped)
                .description("Audit lines dropped because the audit appender's queue was full")
                .register(registry);
        }
    }
}
