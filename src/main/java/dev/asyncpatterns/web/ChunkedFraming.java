package dev.asyncpatterns.web;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Follows one chunked request body (RFC 9112 §7.1) byte by byte: chunk-size line, chunk data, CRLF,
 * and after the last (zero-size) chunk the trailer lines up to an empty line. Its one purpose is
 * to see that a chunk-size line is broken at its first wrong byte: Netty's decoder judges a line
 * only once its line feed arrives, so a body that is not chunk-encoded at all (plain JSON sent
 * with {@code Transfer-Encoding: chunked}) would otherwise wait for the read timeout.
 *
 * <p>It is never stricter than Netty's decoder: it calls a body broken only where the decoder is
 * certain to refuse the line once it ends (a size that does not start with a hex digit, a stray
 * byte after the digits, a size past {@code Integer.MAX_VALUE}, a CR not followed by LF, chunk data
 * not followed by CRLF). Whatever it lets through, the decoder still checks.
 */
final class ChunkedFraming implements ByteProcessor {

    private enum State {
        SIZE_FIRST, SIZE, SIZE_SPACE, SIZE_LF, EXTENSION, DATA, DATA_CR, DATA_LF,
        TRAILER_LINE_START, TRAILER_LINE, TRAILER_END_LF, ENDED, BROKEN
    }

    private State state = State.SIZE_FIRST;
    private long size;
    private long dataLeft;

    boolean isBroken() {
        return state == State.BROKEN;
    }

    boolean hasEnded() {
        return state == State.ENDED;
    }

    /**
     * Reads {@code in} from its reader index without consuming it, up to the byte that ends the body
     * or breaks it.
     *
     * @return the index just past that byte, or {@code in}'s writer index if neither came
     */
    int advance(ByteBuf in) {
        int index = in.readerIndex();
        int end = in.writerIndex();
        while (index < end && !isBroken() && !hasEnded()) {
            if (state == State.DATA) {
                // Chunk data can be any bytes: skip it whole rather than look at each.
                int skipped = (int) Math.min(dataLeft, end - index);
                dataLeft -= skipped;
                index += skipped;
                if (dataLeft == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            int stop = in.forEachByte(index, end - index, this);
            index = stop < 0 ? end : stop + 1;
        }
        return index;
    }

    /** Takes one byte; {@code false} stops the scan when data starts, or the body ends or breaks. */
    @Override
    public boolean process(byte b) {
        state = switch (state) {
            case SIZE_FIRST -> hexDigit(b) < 0 ? State.BROKEN : addDigit(b);
            case SIZE -> afterDigits(b);
            case SIZE_SPACE -> b == ' ' || b == '\t' ? State.SIZE_SPACE : afterSpace(b);
            case SIZE_LF -> b == '\n' ? lineEnded() : State.BROKEN;
            case EXTENSION -> b == '\n' ? lineEnded() : State.EXTENSION;
            case DATA_CR -> b == '\r' ? State.DATA_LF : State.BROKEN;
            case DATA_LF -> b == '\n' ? nextChunk() : State.BROKEN;
            case TRAILER_LINE_START -> b == '\r' ? State.TRAILER_END_LF
                    : b == '\n' ? State.ENDED : State.TRAILER_LINE;
            case TRAILER_LINE -> b == '\n' ? State.TRAILER_LINE_START : State.TRAILER_LINE;
            case TRAILER_END_LF -> b == '\n' ? State.ENDED : State.TRAILER_LINE;
            case DATA, ENDED, BROKEN -> throw new IllegalStateException("no byte is read in " + state);
        };
        return state != State.DATA && state != State.ENDED && state != State.BROKEN;
    }

    private State afterDigits(byte b) {
        if (hexDigit(b) >= 0) {
            return addDigit(b);
        }
        return b == ' ' || b == '\t' ? State.SIZE_SPACE : afterSpace(b);
    }

    /** After the digits and any whitespace only an extension or the line's end may come. */
    private State afterSpace(byte b) {
        return switch (b) {
            case ';' -> State.EXTENSION;
            case '\r' -> State.SIZE_LF;
            case '\n' -> lineEnded();
            default -> State.BROKEN;
        };
    }

    private State addDigit(byte b) {
        size = size * 16 + hexDigit(b);
        return size > Integer.MAX_VALUE ? State.BROKEN : State.SIZE;
    }

    private State lineEnded() {
        if (size == 0) {
            return State.TRAILER_LINE_START;
        }
        dataLeft = size;
        return State.DATA;
    }

    private State nextChunk() {
        size = 0;
        return State.SIZE_FIRST;
    }

    private static int hexDigit(byte b) {
        return Character.digit(b, 16);
    }
}
