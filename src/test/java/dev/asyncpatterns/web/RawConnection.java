package dev.asyncpatterns.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that speaks HTTP/1.1 by hand over a plain socket, to send what no HTTP client library
 * would: half a request, a body shorter than announced, a chunked body that is not chunked.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;

    RawConnection(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
    }

    RawConnection send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next line the server sends, without its line end; fails if none comes within {@code bound}. */
    String readLine(Duration bound) throws IOException {
        socket.setSoTimeout(Math.toIntExact(bound.toMillis()));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
        }
        catch (SocketTimeoutException e) {
            throw new AssertionError("no line within " + bound + ", received " + line, e);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    /**
     * One whole response with a {@code Content-Length}: its status line, headers and body, so the
     * next request on the connection is not sent while this one is still being answered.
     */
    String readResponse(Duration bound) throws IOException {
        StringBuilder response = new StringBuilder();
        int length = 0;
        for (String line = readLine(bound); !line.isEmpty(); line = readLine(bound)) {
            response.append(line).append("\r\n");
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = socket.getInputStream().readNBytes(length);
        return response.append("\r\n").append(new String(body, StandardCharsets.ISO_8859_1)).toString();
    }

    /**
     * Everything the server sends until it closes the connection; fails if it has not closed it
     * within {@code bound} (a bound on a wait, never a wait of its own).
     */
    String readUntilClosed(Duration bound) throws IOException {
        socket.setSoTimeout(Math.toIntExact(bound.toMillis()));
        long deadline = System.nanoTime() + bound.toNanos();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still open after " + bound + ", received " + received);
                }
            }
        }
        catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + bound + ", received " + received, e);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
