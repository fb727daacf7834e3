package dev.asyncpatterns.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ByteProcessor;

/**
 * One connection's watch over its chunked request bodies, as two handlers around Netty's HTTP
 * codec: {@link #bytes()} before it sees the raw bytes, {@link #requests()} after it sees the
 * decoded requests. The bytes handler hands the codec each header block as a piece of its own, so
 * that when the codec decodes a chunked request the body starts exactly at the next byte; from
 * there {@link ChunkedFraming} follows the body. At a broken chunk-size line it ends the line with a
 * CRLF of its own, so the codec refuses the request at once, on its usual path (400, connection
 * closed), instead of waiting for a line feed that never comes.
 *
 * <p>Nothing is buffered or copied: pieces are slices of the bytes as they arrive.
 */
final class ChunkedBodyWatch {

    private enum Mode { HEADERS, CHUNKED, OFF }

    private static final byte[] LINE_END = { '\r', '\n' };

    private final HeaderBlockEnd headerBlockEnd = new HeaderBlockEnd();
    private Mode mode = Mode.HEADERS;
    private boolean pieceEndsAHeaderBlock;
    private ChunkedFraming body;

    ChannelInboundHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf in && mode != Mode.OFF) {
                    feed(ctx, in);
                }
                else {
                    ctx.fireChannelRead(msg);
                }
            }
        };
    }

    ChannelInboundHandler requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                    watch(request);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void watch(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            mode = Mode.OFF; // the codec discards the rest of the connection's bytes
        }
        else if (HttpUtil.isTransferEncodingChunked(request)) {
            // Only where the body's first byte is known can it be followed; anywhere else (never, if
            // header blocks are found as the codec finds them) the read timeout still bounds it.
            mode = pieceEndsAHeaderBlock ? Mode.CHUNKED : Mode.OFF;
            body = new ChunkedFraming();
        }
    }

    private void feed(ChannelHandlerContext ctx, ByteBuf in) {
        while (mode != Mode.OFF && in.isReadable()) {
            int end = mode == Mode.HEADERS ? headerBlockEnd.advance(in) : body.advance(in);
            boolean broken = mode == Mode.CHUNKED && body.isBroken();
            pieceEndsAHeaderBlock = mode == Mode.HEADERS && headerBlockEnd.found();
            if (mode == Mode.CHUNKED && body.hasEnded()) {
                mode = Mode.HEADERS;
            }
            if (end == in.writerIndex() && !broken) {
                break;
            }
            ctx.fireChannelRead(in.readRetainedSlice(end - in.readerIndex()));
            if (broken) {
                mode = Mode.OFF;
                ctx.fireChannelRead(Unpooled.wrappedBuffer(LINE_END));
            }
        }
        if (in.isReadable()) {
            ctx.fireChannelRead(in);
        }
        else {
            in.release();
        }
        pieceEndsAHeaderBlock = false;
    }

    /** Finds where a header block ends: a line feed, an optional CR, and a line feed. */
    private static final class HeaderBlockEnd implements ByteProcessor {

        private boolean afterLineFeed;
        private boolean afterLineFeedAndCr;
        private boolean found;

        boolean found() {
            return found;
        }

        /** @return the index just past the header block's end, or {@code in}'s writer index */
        int advance(ByteBuf in) {
            found = false;
            int stop = in.forEachByte(in.readerIndex(), in.readableBytes(), this);
            return stop < 0 ? in.writerIndex() : stop + 1;
        }

        @Override
        public boolean process(byte b) {
            found = b == '\n' && (afterLineFeed || afterLineFeedAndCr);
            afterLineFeedAndCr = b == '\r' && afterLineFeed;
            afterLineFeed = b == '\n' && !found;
            return !found;
        }
    }
}
