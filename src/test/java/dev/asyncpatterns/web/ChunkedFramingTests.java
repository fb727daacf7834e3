package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * {@link ChunkedFraming} against chunked bodies written by hand, and against Netty's own decoder on
 * seeded random ones: it must see a broken line at its first wrong byte, and never call broken
 * what the decoder would take.
 */
class ChunkedFramingTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            5\\r\\nhello\\r\\n0\\r\\n\\r\\n                       | ended
            5;name=value\\r\\nhello\\r\\n0\\r\\n\\r\\n            | ended
            5 \\t;x\\r\\nhello\\r\\n0\\r\\n\\r\\n                 | ended
            A\\r\\n0123456789\\r\\n0000\\r\\nX-Sum: 1\\r\\n\\r\\n | ended
            5\\r\\nhel                                        | more
            5\\r\\nhello\\r\\n0\\r\\nX-Sum: 1                   | more
            {"permits":2}                                     | broken at 1
            ;x\\r\\n                                          | broken at 1
            5x\\r\\n                                          | broken at 2
            5 x                                               | broken at 3
            5\\rx                                             | broken at 3
            5\\r\\nhelloX                                     | broken at 9
            5\\r\\nhello\\rX                                  | broken at 10
            5\\r\\nhello\\r\\nzz                              | broken at 11
            80000000\\r\\n                                    | broken at 8
            """)
    void followsABodyToItsEndOrToItsFirstWrongByte(String body, String outcome) {
        String text = unescape(body.strip());
        ChunkedFraming framing = new ChunkedFraming();
        int end = framing.advance(ascii(text));

        String seen = framing.isBroken() ? "broken at " + end : framing.hasEnded() ? "ended" : "more";
        assertThat(seen).isEqualTo(outcome.strip());
        if (!framing.isBroken()) {
            assertThat(end).isEqualTo(text.length());
        }
    }

    @Test
    void stopsAtTheEndOfTheBodyWhenTheNextRequestFollows() {
        String body = "3\r\nabc\r\n0\r\n\r\n";
        ChunkedFraming framing = new ChunkedFraming();

        assertThat(framing.advance(ascii(body + "GET / HTTP/1.1\r\n"))).isEqualTo(body.length());
        assertThat(framing.hasEnded()).isTrue();
    }

    @Test
    void carriesItsPlaceFromOneReadToTheNext() {
        ChunkedFraming framing = new ChunkedFraming();
        for (String read : new String[] { "1", "0\r", "\n0123456789", "abcdef\r", "\n0", "\r\n\r", "\n" }) {
            ByteBuf in = ascii(read);
            assertThat(framing.isBroken()).isFalse();
            framing.advance(in);
        }
        assertThat(framing.hasEnded()).isTrue();
    }

    /**
     * Seeded random bodies, well-formed and then damaged by one byte: wherever the framing says
     * broken, Netty's decoder refuses the body too once the line is ended (as the watch ends it);
     * wherever the decoder takes the whole body, the framing reaches its end at the same byte.
     */
    @Test
    void isNeverStricterThanNettysDecoder() {
        Random random = new Random(20261204);
        int brokenSeen = 0;
        for (int i = 0; i < 2_000; i++) {
            String body = randomBody(random);
            if (i % 2 == 1) {
                StringBuilder damaged = new StringBuilder(body);
                damaged.setCharAt(random.nextInt(body.length()), "x;\r\n 0G{".charAt(random.nextInt(8)));
                body = damaged.toString();
            }
            ChunkedFraming framing = new ChunkedFraming();
            int end = framing.advance(ascii(body));
            if (framing.isBroken()) {
                brokenSeen++;
                assertThat(nettyTakes(body.substring(0, end) + "\r\n")).as(body).isFalse();
            }
            else if (nettyTakes(body)) {
                assertThat(framing.hasEnded()).as(body).isTrue();
            }
        }
        assertThat(brokenSeen).as("damaged bodies the framing refused").isGreaterThan(300);
    }

    private static String randomBody(Random random) {
        StringBuilder body = new StringBuilder();
        for (int chunks = random.nextInt(4); chunks > 0; chunks--) {
            int size = 1 + random.nextInt(20);
            body.append(random.nextBoolean() ? Integer.toHexString(size) : Integer.toHexString(size).toUpperCase())
                .append(random.nextInt(4) == 0 ? ";ext=1" : "")
                .append("\r\n")
                .append("d".repeat(size))
                .append("\r\n");
        }
        body.append("0\r\n").append(random.nextInt(4) == 0 ? "X-Trailer: t\r\n" : "").append("\r\n");
        return body.toString();
    }

    /** Whether Netty's request decoder reads {@code body} as a whole, valid chunked body. */
    private static boolean nettyTakes(String body) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder());
        try {
            channel.writeInbound(ascii("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body));
            boolean taken = false;
            for (Object read = channel.readInbound(); read != null; read = channel.readInbound()) {
                if (((HttpObject) read).decoderResult().isFailure()) {
                    ReferenceCountUtil.release(read);
                    return false;
                }
                taken |= read instanceof LastHttpContent;
                ReferenceCountUtil.release(read);
            }
            return taken;
        }
        finally {
            channel.finishAndReleaseAll();
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
