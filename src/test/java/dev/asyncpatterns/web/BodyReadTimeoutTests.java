package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * The read timeout behind a real {@link HttpServerCodec}, on an embedded channel's own clock: a timer
 * only for a body still missing after a read, and past it the request fails and the connection
 * closes.
 */
class BodyReadTimeoutTests {

    private static final String HEADERS = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\n";

    private final List<Throwable> failures = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
            new BodyReadTimeout(Duration.ofSeconds(20)), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    failures.add(cause);
                }
            });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestThatArrivesWholeInOneReadStartsNoTimer() {
        read(HEADERS + "{\"a\":1}" + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(channel.runScheduledPendingTasks()).as("no timer pending").isEqualTo(-1);
    }

    @Test
    void aBodyStillMissingAfterTheTimeoutFailsTheRequestAndClosesTheConnection() {
        read(HEADERS + "{\"a\"");
        channel.advanceTimeBy(19, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(failures).isEmpty();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(failures).singleElement().isInstanceOf(BodyReadTimeoutException.class);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aBodyThatArrivesInTimeStopsTheTimer() {
        read(HEADERS + "{\"a\"");
        read(":1}");
        channel.advanceTimeBy(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();

        assertThat(failures).isEmpty();
        assertThat(channel.isActive()).isTrue();
        assertThat(channel.runScheduledPendingTasks()).as("no timer pending").isEqualTo(-1);
    }

    /** One read of the connection: the bytes, then the end of the read. */
    private void read(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }
}
