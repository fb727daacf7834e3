/**
 * The only way out of the service: every outbound HTTP call (aiohttp's {@code ClientSession} in
 * an asyncio program) goes through {@link dev.asyncpatterns.outbound.OutboundClient}, after
 * {@link dev.asyncpatterns.outbound.UrlAllowlist} has accepted its URL. One bounded connection
 * pool, connect and response timeouts, a body cap, allowlisted redirects, and cancellation that
 * closes the connection, like cancelling the task that awaits {@code session.get(...)}.
 */
package dev.asyncpatterns.outbound;
