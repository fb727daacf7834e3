package dev.asyncpatterns.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Teaches BlockHound that the audit logger's hand-off is not a blocking call. The audit line is
 * logged on an event loop into Logback's AsyncAppender, which with {@code neverBlock} only
 * offers it to an {@code ArrayBlockingQueue}: never waiting for room, but taking the queue's lock
 * for a few instructions, and a lock held by Logback's writer thread at that instant parks the
 * caller just as briefly. BlockHound would report that park at random. Loaded by BlockHound
 * through {@code META-INF/services}.
 */
public class LogbackAsyncAppenderBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("ch.qos.logback.core.AsyncAppenderBase", "put");
    }
}
