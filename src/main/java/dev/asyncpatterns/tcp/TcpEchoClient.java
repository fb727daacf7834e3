package dev.asyncpatterns.tcp;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.web.BadRequestException;
import dev.asyncpatterns.web.ProblemTypes;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * {@code reader, writer = await asyncio.open_connection(host, port)}: sends one line, reads one
 * line back. The host and port must pass the outbound {@link UrlAllowlist} (one list for HTTP and TCP); connecting and reading each have a
 * timeout; the message and the reply are bounded; the connection is closed however it ends,
 * including when the HTTP caller goes away.
 */
@Service
class TcpEchoClient {

    private final TcpProperties.Client properties;
    private final UrlAllowlist allowlist;
    private final TcpLoops loops;

    TcpEchoClient(TcpProperties properties, UrlAllowlist allowlist, TcpLoops loops) {
        this.properties = properties.client();
        this.allowlist = allowlist;
        this.loops = loops;
    }

    Mono<EchoReply> echo(EchoRequest request) {
        return Mono.defer(() -> {
            check(request);
            long start = System.nanoTime();
            TcpClient client = TcpClient.create()
                .runOn(loops.loops())
                .host(request.host())
                .port(request.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                .doOnConnected(c -> c.addHandlerLast(
                        new LineBasedFrameDecoder(properties.maxMessageBytes(), true, true)));
            return Mono.usingWhen(client.connect().onErrorMap(e -> connectFailed(request, e)),
                    connection -> exchange(connection, request.message()),
                    TcpEchoClient::close, (connection, error) -> close(connection), TcpEchoClient::close)
                .map(reply -> new EchoReply(reply, Duration.ofNanos(System.nanoTime() - start).toMillis()));
        });
    }

    private void check(EchoRequest request) {
        if (!allowlist.allowsHost(request.host(), request.port())) {
            throw new BadRequestException("host",
                    "'" + request.host() + "' is not in the outbound allowlist (asyncpatterns.outbound.allowed-hosts)");
        }
        if (request.message().indexOf('\n') >= 0 || request.message().indexOf('\r') >= 0) {
            throw new BadRequestException("message", "must be a single line (no line breaks)");
        }
        if (request.message().getBytes(StandardCharsets.UTF_8).length > properties.maxMessageBytes()) {
            throw new BadRequestException("message",
                    "must be at most " + properties.maxMessageBytes() + " bytes in UTF-8");
        }
    }

    private Mono<String> exchange(Connection connection, String message) {
        Mono<String> reply = connection.inbound().receive().asString(StandardCharsets.UTF_8).next();
        return connection.outbound().sendString(Mono.just(message + "\n"), StandardCharsets.UTF_8).then()
            .then(reply)
            .timeout(properties.readTimeout())
            .switchIfEmpty(Mono.error(() -> new TcpEchoFailedException(HttpStatus.BAD_GATEWAY,
                    ProblemTypes.TCP_BAD_REPLY, "No reply", "The server closed the connection without a reply line")))
            .onErrorMap(TimeoutException.class, timeout -> new TcpEchoFailedException(HttpStatus.GATEWAY_TIMEOUT,
                    ProblemTypes.TCP_TIMEOUT, "TCP read timed out",
                    "No reply line within " + properties.readTimeout().toMillis() + " ms"))
            .onErrorMap(TooLongFrameException.class, tooLong -> new TcpEchoFailedException(HttpStatus.BAD_GATEWAY,
                    ProblemTypes.TCP_BAD_REPLY, "Reply too long",
                    "The reply line exceeds " + properties.maxMessageBytes() + " bytes"));
    }

    private static Mono<Void> close(Connection connection) {
        return Mono.fromRunnable(connection::dispose);
    }

    private Throwable connectFailed(EchoRequest request, Throwable error) {
        String target = request.host() + ":" + request.port();
        if (error instanceof ConnectTimeoutException) {
            return new TcpEchoFailedException(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.TCP_TIMEOUT,
                    "TCP connect timed out", "Could not connect to " + target + " within "
                            + properties.connectTimeout().toMillis() + " ms");
        }
        String reason = error instanceof ConnectException ? "connection refused" : error.getClass().getSimpleName();
        return new TcpEchoFailedException(HttpStatus.BAD_GATEWAY, ProblemTypes.TCP_UNREACHABLE,
                "TCP host unreachable", "Could not connect to " + target + ": " + reason);
    }
}
