package dev.asyncpatterns.web;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;

/**
 * Keeps an answered body read timeout out of the error log. {@link BodyReadTimeout} fails the
 * request's body, the handler answers 408, and when Reactor Netty then disposes the request it
 * signals the same failure to the body's reader a second time. The reader has ended, so Reactor
 * drops the signal and, by default, logs it at ERROR with its stack trace: one per slow client,
 * for a request already answered. This hook logs that one at DEBUG and every other dropped error
 * as Reactor's default does (same logger, same message, ERROR).
 *
 * <p>Reactor's hook is global to the JVM and cumulative, so it is installed once per process;
 * it stays for the process's life, since it changes nothing but that one log line.
 */
@Component
class DroppedReadTimeouts {

    private static final Logger log = LoggerFactory.getLogger(DroppedReadTimeouts.class);
    /** Reactor's own logger for dropped errors, so log settings for it keep working. */
    private static final Logger reactorLog = LoggerFactory.getLogger(Operators.class);
    private static final AtomicBoolean installed = new AtomicBoolean();

    DroppedReadTimeouts() {
        if (installed.compareAndSet(false, true)) {
            Hooks.onErrorDropped(DroppedReadTimeouts::dropped);
        }
    }

    private static void dropped(Throwable error) {
        if (error instanceof BodyReadTimeoutException) {
            log.debug("A body read timeout signalled again after its 408 was answered: {}", error.toString());
        }
        else {
            reactorLog.error("Operator called default onErrorDropped", error);
        }
    }
}
