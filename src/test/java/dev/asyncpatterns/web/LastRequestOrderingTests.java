package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * What Reactor Netty is handed, and when, with its own "request finished" signal: a last request
 * waits for the ones before it; every other request and everything else passes at once.
 */
class LastRequestOrderingTests {

    private final List<String> seen = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new LastRequestOrdering(),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    seen.add(msg instanceof HttpRequest request ? request.uri() : "body");
                    ReferenceCountUtil.release(msg);
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    seen.add("read complete");
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    seen.add("finished");
                }
            });

    @Test
    void aLastRequestWaitsUntilTheRequestBeforeItHasFinished() throws Exception {
        send(request("/first", true), new DefaultLastHttpContent(), request("/last", false), new DefaultLastHttpContent());
        assertThat(seen).containsExactly("/first", "body");

        channel.pipeline().fireUserEventTriggered(requestFinished());

        assertThat(seen).containsExactly("/first", "body", "finished", "/last", "body", "read complete");
        channel.finishAndReleaseAll();
    }

    @Test
    void aLastRequestWithNothingBeforeItPassesAtOnce() {
        send(request("/only", false), new DefaultLastHttpContent());

        assertThat(seen).containsExactly("/only", "body");
        channel.finishAndReleaseAll();
    }

    @Test
    void keepAliveRequestsPassAtOnceForReactorNettyToPipeline() {
        send(request("/a", true), new DefaultLastHttpContent(), request("/b", true), new DefaultLastHttpContent());

        assertThat(seen).containsExactly("/a", "body", "/b", "body");
        channel.finishAndReleaseAll();
    }

    @Test
    void whatIsHeldIsReleasedWhenTheConnectionCloses() {
        LastHttpContent body = new DefaultLastHttpContent(io.netty.buffer.Unpooled.copiedBuffer(new byte[] { 1 }));
        send(request("/first", true), new DefaultLastHttpContent(), request("/last", false), body);

        channel.close();

        assertThat(body.refCnt()).isZero();
        assertThat(seen).containsExactly("/first", "body");
    }

    private void send(Object... messages) {
        for (Object message : messages) {
            channel.pipeline().fireChannelRead(message);
        }
    }

    private static HttpRequest request(String uri, boolean keepAlive) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        if (!keepAlive) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return request;
    }

    /** Reactor Netty's own event object: its class is package-private, its instance a constant. */
    private static Object requestFinished() throws ReflectiveOperationException {
        Field instance = Class.forName("reactor.netty.http.server.HttpServerOperationsTerminatedEvent")
            .getDeclaredField("INSTANCE");
        instance.setAccessible(true);
        return instance.get(null);
    }
}
