package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The watch around a real {@link HttpServerCodec}: what the codec decodes with it, request by
 * request, for bytes that arrive together (pipelined) or apart.
 */
class ChunkedBodyWatchTests {

    private static final String CHUNKED = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String SIZED = "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\n";

    @Test
    void pipelinedRequestsOfEveryFramingAreDecodedWhole() {
        String requests = CHUNKED + "3;x=1\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
                + SIZED + "{\n\r\n}\n\n"
                + "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"
                + CHUNKED + "2\r\nde\r\n0\r\n\r\n";

        assertThat(decode(requests)).containsExactly("POST /a abc", "POST /b {\n\r\n}\n\n", "GET /c ", "POST /a de");
    }

    @Test
    void aBodyThatIsNotChunkEncodedFailsAtItsFirstByte() {
        assertThat(decode(CHUNKED + "{\"permits\":2}")).containsExactly("POST /a failed");
    }

    @Test
    void aBrokenLaterChunkFailsWhereItBreaks() {
        assertThat(decode(CHUNKED + "3\r\nabc\r\n{\"more\"")).containsExactly("POST /a abc failed");
    }

    @Test
    void aBodyThatHasNotEndedYetWaitsWithoutFailing() {
        assertThat(decode(CHUNKED + "10\r\nabc")).containsExactly("POST /a abc");
    }

    /** Decodes {@code bytes} in one read; one line per request: method, path, body, and "failed". */
    private static List<String> decode(String bytes) {
        ChunkedBodyWatch watch = new ChunkedBodyWatch();
        EmbeddedChannel channel = new EmbeddedChannel(watch.bytes(), new HttpServerCodec(), watch.requests());
        List<String> requests = new ArrayList<>();
        try {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
            StringBuilder current = null;
            for (Object read = channel.readInbound(); read != null; read = channel.readInbound()) {
                if (read instanceof HttpRequest request) {
                    current = new StringBuilder(request.method() + " " + request.uri() + " ");
                    requests.add(null);
                }
                if (read instanceof HttpContent content) {
                    current.append(content.content().toString(StandardCharsets.ISO_8859_1));
                }
                if (((HttpObject) read).decoderResult().isFailure()) {
                    current.append(current.charAt(current.length() - 1) == ' ' ? "failed" : " failed");
                }
                requests.set(requests.size() - 1, current.toString());
                if (read instanceof LastHttpContent && ((HttpObject) read).decoderResult().isSuccess()) {
                    current = null;
                }
                ReferenceCountUtil.release(read);
            }
            return requests;
        }
        finally {
            channel.finishAndReleaseAll();
        }
    }
}
