package dev.asyncpatterns.outbound;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;

/**
 * Maps an exception from any layer of an outbound call (pool, connect, TLS, HTTP codec, JSON) to
 * the one {@link CallErrorType} it stands for, looking through wrappers to the first cause it
 * knows. What it does not know is logged and reported as {@code INVALID_RESPONSE}: the call
 * still has exactly one outcome.
 */
final class ErrorClassifier {

    private static final Logger log = LoggerFactory.getLogger(ErrorClassifier.class);

    private ErrorClassifier() {
    }

    /**
     * @param failure what the call failed with
     * @param timeout the call's timeout, named in a {@code TIMEOUT}'s message
     */
    static CallError classify(Throwable failure, Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().startsWith("PoolAcquire")) {
                // reactor-netty's (shaded) pool: the pending queue is full or the wait timed out.
                return CallError.of(CallErrorType.CONNECT, "no pooled connection available: " + cause.getMessage());
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof SSLException) {
                return CallError.of(CallErrorType.CONNECT, "could not connect: " + cause.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
                return timedOut(timeout);
            }
            if (cause instanceof PrematureCloseException) {
                return CallError.of(CallErrorType.INVALID_RESPONSE,
                        "the upstream closed the connection before the response was complete");
            }
            if (cause instanceof DecoderException || cause instanceof JacksonException) {
                return CallError.of(CallErrorType.INVALID_RESPONSE, "malformed response: " + cause.getMessage());
            }
            if (cause instanceof CancellationException) {
                return CallError.of(CallErrorType.CANCELLED, "the call was cancelled");
            }
        }
        log.debug("Outbound call failed in an unmapped way", failure);
        return CallError.of(CallErrorType.INVALID_RESPONSE, "the response could not be read: " + failure.getMessage());
    }

    /** No complete response within the call's timeout. */
    static CallError timedOut(Duration timeout) {
        return CallError.of(CallErrorType.TIMEOUT, "no complete response within " + timeout.toMillis() + " ms");
    }
}
