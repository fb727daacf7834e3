/**
 * Fan-out fetches: asyncio's {@code gather} (with {@code TaskGroup}'s cancel-on-first-failure),
 * {@code wait(return_when=...)}, first-completed hedging, and {@code as_completed}, one pipeline
 * class each over the same bounded stream of outbound calls. Cancelling an operation cancels its
 * calls, and that closes their connections.
 */
package dev.asyncpatterns.fanout;
