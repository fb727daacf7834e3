package dev.asyncpatterns.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;

/**
 * One connection's bound on how long a request's body may take to arrive once its headers are in
 * ({@code asyncpatterns.http.read-timeout}). Past it, the request fails with a
 * {@link BodyReadTimeoutException} (answered 408 problem JSON) and the connection is closed.
 *
 * <p>A timer starts only for a request whose body is still missing when the bytes read so far are
 * decoded: nearly every request arrives whole in one read and never needs one. Reactor Netty's own
 * request timeout scheduled and cancelled a timer for every request, which cost about a third of the
 * CPU of a small GET (bench W3, issue 18).
 */
final class BodyReadTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private boolean awaitingBody;
    private Future<?> timer;

    BodyReadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest)) {
            // A request the codec could not decode is refused by Reactor Netty, body unread.
            awaitingBody = request.decoderResult().isSuccess();
        }
        if (msg instanceof LastHttpContent) {
            awaitingBody = false;
            stopTimer();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingBody && timer == null) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopTimer();
        ctx.fireChannelInactive();
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (awaitingBody && ctx.channel().isActive()) {
            awaitingBody = false;
            // Fails the request's body as Reactor Netty fails it for any inbound error, so the
            // handler reading it answers; the close is queued behind that answer.
            ctx.fireExceptionCaught(new BodyReadTimeoutException());
            ctx.close();
        }
    }

    private void stopTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
