package dev.asyncpatterns.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * One connection's watch over its chunked request bodies, as two handlers around Netty's HTTP
 * codec: {@link #bytes()} before it sees the raw bytes, {@link #requests()} after it sees the
 * decoded requests. The bytes handler hands the codec each header block as a piece of its own, so
 * that when the codec decodes a chunked request the body starts exactly at the next byte; from
 * there {@link ChunkedFraming} follows the body. At a broken chunk-size line it ends the line with a
 * CRLF of its own, so the codec refuses the request at once, on its usual path (400, connection
 * closed), instead of waiting for a line feed that never comes.
 *
 * <p>Nothing is buffered or copied: pieces are slices of the bytes as they arrive. Only header
 * blocks and chunked bodies are read; a body of known length is passed over by its length, so a
 * request costs a search for line feeds in its headers and nothing more.
 */
final class ChunkedBodyWatch {

    private enum Mode { HEADERS, SIZED, CHUNKED, OFF }

    private static final byte[] LINE_END = { '\r', '\n' };

    private final HeaderBlockEnd headerBlockEnd = new HeaderBlockEnd();
    private Mode mode = Mode.HEADERS;
    private boolean pieceEndsAHeaderBlock;
    private ChunkedFraming body;
    private long sizedBodyLeft;

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
        else if (pieceEndsAHeaderBlock && HttpUtil.getContentLength(request, 0L) > 0) {
            // A sized body is passed over, not searched for a header block's end.
            mode = Mode.SIZED;
            sizedBodyLeft = HttpUtil.getContentLength(request, 0L);
        }
    }

    private void feed(ChannelHandlerContext ctx, ByteBuf in) {
        while (mode != Mode.OFF && in.isReadable()) {
            Mode piece = mode;
            int end = switch (piece) {
                case HEADERS -> headerBlockEnd.advance(in);
                case SIZED -> passSizedBody(in);
                default -> body.advance(in);
            };
            boolean broken = piece == Mode.CHUNKED && body.isBroken();
            pieceEndsAHeaderBlock = piece == Mode.HEADERS && headerBlockEnd.found();
            if (piece == Mode.CHUNKED && body.hasEnded() || piece == Mode.SIZED && sizedBodyLeft == 0) {
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

    /** @return the index just past the sized body's end, or {@code in}'s writer index */
    private int passSizedBody(ByteBuf in) {
        int passed = (int) Math.min(sizedBodyLeft, in.readableBytes());
        sizedBodyLeft -= passed;
        return in.readerIndex() + passed;
    }

    /** Finds where a header block ends: a line feed, an optional CR, and a line feed. */
    private static final class HeaderBlockEnd {

        private boolean afterLineFeed;
        private boolean afterLineFeedAndCr;
        private boolean found;

        boolean found() {
            return found;
        }

        /**
         * Looks at the first bytes of each line and jumps from line feed to line feed (a vectorised
         * search in Netty) in between.
         *
         * @return the index just past the header block's end, or {@code in}'s writer index
         */
        int advance(ByteBuf in) {
            found = false;
            int index = in.readerIndex();
            int end = in.writerIndex();
            while (index < end) {
                if (afterLineFeed || afterLineFeedAndCr) {
                    byte b = in.getByte(index);
                    if (b == '\n') {
                        found = true;
                        afterLineFeed = false;
                        afterLineFeedAndCr = false;
                        return index + 1;
                    }
                    afterLineFeedAndCr = b == '\r' && afterLineFeed;
                    afterLineFeed = false;
                    if (afterLineFeedAndCr) {
                        index++;
                        continue;
                    }
                }
                int lineFeed = in.indexOf(index, end, (byte) '\n');
                if (lineFeed < 0) {
                    return end;
                }
                afterLineFeed = true;
                index = lineFeed + 1;
            }
            return end;
        }
    }
}
