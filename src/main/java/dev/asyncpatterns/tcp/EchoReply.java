package dev.asyncpatterns.tcp;

/**
 * The answer of {@code POST /api/tcp/echo}.
 *
 * @param reply the first line the server sent back, without its newline
 * @param elapsedMs connect, send and read, in milliseconds
 */
record EchoReply(String reply, long elapsedMs) {
}
