/**
 * asyncio streams: the TCP echo server of {@code asyncio.start_server} (line-delimited, a maximum
 * line length, an idle timeout, owned by a {@code SmartLifecycle} that closes open connections on
 * shutdown) and the client of {@code asyncio.open_connection} behind {@code POST /api/tcp/echo}
 * (host allowlist, connect and read timeouts, bounded message).
 */
package dev.asyncpatterns.tcp;
