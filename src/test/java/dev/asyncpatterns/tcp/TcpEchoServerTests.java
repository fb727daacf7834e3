package dev.asyncpatterns.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TcpEchoServerTests {

    private static final int READ_TIMEOUT_MS = 10_000;

    private TcpEchoServer server;

    private final TcpLoops loops = new TcpLoops();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
        loops.destroy();
    }

    private TcpEchoServer start(int maxLineBytes, long idleTimeoutMs, int maxConnections) {
        server = new TcpEchoServer(new TcpProperties(true, 0, "127.0.0.1", maxLineBytes, Duration.ofMillis(idleTimeoutMs),
                maxConnections, new TcpProperties.Client(Duration.ofSeconds(2), Duration.ofSeconds(5), 4096)), loops,
                new SimpleMeterRegistry());
        server.start();
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void everyLineComesBackInOrder() throws IOException {
        start(8192, 60_000, 10);
        try (Socket socket = connect()) {
            BufferedReader in = reader(socket);
            send(socket, "hello\nworld\n");
            assertThat(in.readLine()).isEqualTo("hello");
            assertThat(in.readLine()).isEqualTo("world");
            send(socket, "héllo again\n");
            assertThat(in.readLine()).isEqualTo("héllo again");
        }
    }

    @Test
    void aLineLongerThanTheMaximumGetsAnErrorLineAndTheConnectionCloses() throws IOException {
        start(16, 60_000, 10);
        try (Socket socket = connect()) {
            BufferedReader in = reader(socket);
            send(socket, "x".repeat(100) + "\n");
            assertThat(in.readLine()).isEqualTo("ERR line longer than 16 bytes");
            assertThat(in.readLine()).as("the server closed the connection").isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void anIdleConnectionIsClosedByTheServer() throws IOException {
        start(8192, 300, 10);
        try (Socket socket = connect()) {
            BufferedReader in = reader(socket);
            send(socket, "ping\n");
            assertThat(in.readLine()).isEqualTo("ping");
            // Nothing more is sent: the server closes after the idle timeout, well within the read timeout.
            assertThat(in.readLine()).isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void stoppingTheServerClosesItsOpenConnections() throws IOException {
        start(8192, 60_000, 10);
        try (Socket socket = connect()) {
            BufferedReader in = reader(socket);
            send(socket, "before stop\n");
            assertThat(in.readLine()).isEqualTo("before stop");
            assertThat(server.openConnections()).isEqualTo(1);
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(in.readLine()).as("the client sees the connection closed").isNull();
        }
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void connectionsBeyondTheMaximumAreClosedOnArrival() throws IOException {
        start(8192, 60_000, 1);
        try (Socket first = connect()) {
            // The first must be served before the second arrives: accepted connections are
            // handled on different event loops, so two at once could be counted in either order.
            send(first, "one\n");
            assertThat(reader(first).readLine()).isEqualTo("one");
            try (Socket second = connect()) {
                assertThat(readOrClosed(second)).isNull();
            }
        }
    }

    @Test
    void closingStopsTheLoopsAndWaitsUntilTheyHaveStopped() throws IOException {
        start(8192, 60_000, 10);
        try (Socket socket = connect()) {
            send(socket, "ping\n");
            assertThat(reader(socket).readLine()).isEqualTo("ping");
        }
        EventLoopGroup serverLoops = loops.loops().onServer(true);
        server.stop();
        server = null;

        loops.destroy();

        assertThat(serverLoops.isTerminated()).as("loop threads ended, not only asked to").isTrue();
    }

    private static String readOrClosed(Socket socket) throws IOException {
        try {
            return reader(socket).readLine();
        }
        catch (SocketTimeoutException ex) {
            return "still open";
        }
        catch (IOException ex) {
            // A reset also means the server closed it.
            return null;
        }
    }
}
