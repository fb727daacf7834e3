package dev.asyncpatterns.web;

import java.util.ArrayDeque;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds a connection's last request (one that says {@code Connection: close}) back from Reactor
 * Netty until the requests before it on the connection have finished, then hands it on.
 *
 * <p>Why: a client that reads an answer and at once sends {@code Connection: close} with its next
 * request can get that request in before Reactor Netty has finished the previous one. Reactor Netty
 * (1.3.8) then buffers it, takes "close" as "no more requests to resume", and never serves it: the
 * connection hangs, without even its idle timeout (seen in {@code HttpEdgeIntegrationTests}, about
 * one time in six on a busy machine). Delivered after the previous request has finished, it is
 * served and the connection closed as asked.
 *
 * <p>What is held is bounded by one read: with a request unfinished, nothing asks the connection
 * for more bytes until Reactor Netty resumes reading after it.
 */
final class LastRequestOrdering extends ChannelInboundHandlerAdapter {

    /** Reactor Netty's signal that a request has finished; its class is package-private. */
    private static final String REQUEST_FINISHED = "reactor.netty.http.server.HttpServerOperationsTerminatedEvent";

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private int unfinished;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            if (unfinished > 0 && !HttpUtil.isKeepAlive(request)) {
                held.add(msg);
                return;
            }
            unfinished++;
        }
        else if (!held.isEmpty()) {
            held.add(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        boolean requestFinished = REQUEST_FINISHED.equals(evt.getClass().getName());
        if (requestFinished && unfinished > 0) {
            unfinished--;
        }
        ctx.fireUserEventTriggered(evt);
        if (requestFinished && unfinished == 0 && !held.isEmpty()) {
            unfinished++;
            while (!held.isEmpty()) {
                ctx.fireChannelRead(held.poll());
            }
            // Reactor Netty flushes an answer when a read completes: this delivery is one.
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
