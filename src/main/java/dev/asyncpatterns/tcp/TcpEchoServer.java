package dev.asyncpatterns.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpServer;

/**
 * {@code asyncio.start_server} with an echo handler: every line a client sends comes back. Lines
 * are capped at {@code maxLineBytes} (a longer one gets {@code ERR ...} and the connection
 * closes), a connection idle for {@code idle-timeout} is closed, and at most
 * {@code maxConnections} are open at once. On context close the open connections are closed first,
 * then the listening socket, so nothing outlives the application.
 */
@Component
public class TcpEchoServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TcpEchoServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final TcpProperties properties;
    private final TcpLoops loops;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile DisposableServer server;

    TcpEchoServer(TcpProperties properties, TcpLoops loops, MeterRegistry registry) {
        this.properties = properties;
        this.loops = loops;
        Gauge.builder("asyncpatterns.tcp.connections", connections, Set::size)
            .description("Open connections of the TCP echo server")
            .register(registry);
    }

    @Override
    public void start() {
        if (!properties.enabled() || server != null) {
            return;
        }
        // Binding on the starting thread: startup fails loudly if the port is taken.
        server = TcpServer.create()
            .runOn(loops.loops())
            .host(properties.host())
            .port(properties.port())
            .doOnConnection(this::accept)
            .handle(this::echo)
            .bindNow(BIND_TIMEOUT);
        log.info("TCP echo server listening on {}:{}", properties.host(), server.port());
    }

    private void accept(Connection connection) {
        if (connections.size() >= properties.maxConnections()) {
            log.warn("TCP echo server refused a connection: {} already open", properties.maxConnections());
            connection.dispose();
            return;
        }
        connections.add(connection);
        connection.onDispose(() -> connections.remove(connection));
        connection.addHandlerLast(new LineBasedFrameDecoder(properties.maxLineBytes(), true, true));
        connection.onReadIdle(properties.idleTimeout().toMillis(), connection::dispose);
    }

    /** Echoes each line; a too-long line ends the stream with an error line, which closes the connection. */
    private Flux<Void> echo(NettyInbound in, NettyOutbound out) {
        Flux<String> replies = in.receive()
            .asString(StandardCharsets.UTF_8)
            .map(line -> line + "\n")
            .onErrorResume(TooLongFrameException.class,
                    tooLong -> Flux.just("ERR line longer than " + properties.maxLineBytes() + " bytes\n"));
        return Flux.from(out.sendString(replies, StandardCharsets.UTF_8));
    }

    @Override
    public void stop() {
        DisposableServer current = server;
        if (current == null) {
            return;
        }
        int open = connections.size();
        // Waits for the closes, bounded like the listening socket's: each connection leaves the
        // set in a close listener on its event loop, so without the wait a client could see its
        // connection closed while openConnections() and the gauge still counted it.
        Flux.fromIterable(connections)
            .flatMap(connection -> {
                connection.dispose();
                return connection.onDispose();
            })
            .then()
            .block(STOP_TIMEOUT);
        current.disposeNow(STOP_TIMEOUT);
        server = null;
        log.info("TCP echo server stopped; closed {} open connections", open);
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port, or -1 while not running. */
    public int port() {
        DisposableServer current = server;
        return current != null ? current.port() : -1;
    }

    /** Open connections right now. */
    public int openConnections() {
        return connections.size();
    }
}
