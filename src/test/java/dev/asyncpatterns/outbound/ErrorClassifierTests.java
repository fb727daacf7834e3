package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.junit.jupiter.api.Test;

import reactor.netty.http.client.PrematureCloseException;

class ErrorClassifierTests {

    private static final Duration TIMEOUT = Duration.ofMillis(750);

    @Test
    void connectFailuresAreConnectAlsoWhenWrapped() {
        assertThat(type(new ConnectException("refused"))).isEqualTo(CallErrorType.CONNECT);
        assertThat(type(new IllegalStateException(new UnknownHostException("nowhere.test")))).isEqualTo(CallErrorType.CONNECT);
        assertThat(type(new IOException(new SSLHandshakeException("bad certificate")))).isEqualTo(CallErrorType.CONNECT);
    }

    @Test
    void aFullOrSlowConnectionPoolIsConnect() {
        CallError error = ErrorClassifier.classify(new PoolAcquirePendingLimitException("pending queue full"), TIMEOUT);

        assertThat(error.type()).isEqualTo(CallErrorType.CONNECT);
        assertThat(error.message()).startsWith("no pooled connection available");
    }

    @Test
    void timeoutsAreTimeoutNamingTheCallsTimeout() {
        CallError error = ErrorClassifier.classify(new TimeoutException(), TIMEOUT);

        assertThat(error.type()).isEqualTo(CallErrorType.TIMEOUT);
        assertThat(error.message()).isEqualTo("no complete response within 750 ms");
        assertThat(type(ReadTimeoutException.INSTANCE)).isEqualTo(CallErrorType.TIMEOUT);
    }

    @Test
    void protocolBreakagesAreInvalidResponse() {
        assertThat(type(new DecoderException("bad chunk"))).isEqualTo(CallErrorType.INVALID_RESPONSE);
        assertThat(type(PrematureCloseException.TEST_EXCEPTION)).isEqualTo(CallErrorType.INVALID_RESPONSE);
    }

    @Test
    void aCancellationIsCancelled() {
        assertThat(type(new CancellationException())).isEqualTo(CallErrorType.CANCELLED);
    }

    @Test
    void theFirstKnownCauseDecides() {
        assertThat(type(new TimeoutException() {
            @Override
            public synchronized Throwable getCause() {
                return new ConnectException("refused");
            }
        })).isEqualTo(CallErrorType.TIMEOUT);
    }

    @Test
    void anythingElseIsAnInvalidResponseThatSaysWhat() {
        CallError error = ErrorClassifier.classify(new IllegalStateException("odd"), TIMEOUT);

        assertThat(error.type()).isEqualTo(CallErrorType.INVALID_RESPONSE);
        assertThat(error.message()).isEqualTo("the response could not be read: odd");
    }

    private static CallErrorType type(Throwable failure) {
        return ErrorClassifier.classify(failure, TIMEOUT).type();
    }

    /** Named as reactor-netty's shaded pool names its own, which cannot be referenced. */
    private static final class PoolAcquirePendingLimitException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        PoolAcquirePendingLimitException(String message) {
            super(message);
        }
    }
}
