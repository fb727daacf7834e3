package dev.asyncpatterns.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send: broken framing, raw
 * bytes in paths and headers. One request per connection; the answer is read until it is whole or
 * the server closes, within a bound, so a request the server never answers shows up as a hang.
 */
public final class RawHttp {

    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private RawHttp() {
    }

    /** What came back: a response, or nothing at all before the server closed. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        static final Answer CLOSED = new Answer(0, Map.of(), new byte[0]);

        public boolean closedWithoutAnswer() {
            return status == 0;
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server neither answered nor closed within the bound. */
    public static final class NoAnswerException extends IOException {

        NoAnswerException(Duration bound) {
            super("no answer and no close within " + bound.toMillis() + " ms");
        }
    }

    /**
     * Sends the bytes as they are and reads one response. The server may close while
     * the request is still being written (it refused the head early): that is an answer too.
     */
    public static Answer exchange(int port, byte[] request, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) bound.toMillis());
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                // No half-close after the request: the server takes the end of input as a client gone.
                out.flush();
            }
            catch (SocketException closedEarly) {
                // Read what the server said before it closed, if anything.
            }
            return parse(finalResponse(readUntilClosed(socket.getInputStream(), deadline, bound)));
        }
    }

    private static byte[] readUntilClosed(InputStream in, long deadline, Duration bound) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
                if (complete(finalResponse(answer.toByteArray()))) {
                    break;
                }
                if (System.nanoTime() > deadline || answer.size() > MAX_ANSWER_BYTES) {
                    throw new NoAnswerException(bound);
                }
            }
        }
        catch (SocketTimeoutException timeout) {
            throw new NoAnswerException(bound);
        }
        catch (SocketException reset) {
            // A reset after the answer (the server closed with our unread bytes pending) still leaves the answer.
        }
        return answer.toByteArray();
    }

    /** The bytes after any interim answer ({@code 100 Continue} to an {@code Expect} header). */
    private static byte[] finalResponse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (text.startsWith("HTTP/1.1 1", start) && text.indexOf("\r\n\r\n", start) >= 0) {
            start = text.indexOf("\r\n\r\n", start) + 4;
        }
        return Arrays.copyOfRange(raw, start, raw.length);
    }

    /** A whole response has arrived (a kept-alive connection would not close after it). */
    private static boolean complete(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        int length = head.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length + 2);
            String value = head.substring(length + 17, end < 0 ? head.length() : end).trim();
            return raw.length - headEnd - 4 >= Long.parseLong(value);
        }
        return head.contains("\r\ntransfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headEnd < 0) {
            return Answer.CLOSED;
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        return new Answer(status, headers, chunked ? dechunk(rest) : rest);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            int lineEnd = text.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }
}
