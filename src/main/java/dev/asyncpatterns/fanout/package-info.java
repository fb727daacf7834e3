/**
 * Fan-out fetches: asyncio's {@code gather} (with {@code TaskGroup}'s cancel-on-first-failure),
 * {@code wait(return_when=...)}, first-completed hedging, and {@code as_completed}, one pipeline
 * class each over the same bounded stream of outbound calls. Cancelling an operation cancels its
 * calls, and that closes their connections. Before its first call a request is admitted through
 * {@link dev.asyncpatterns.fanout.FanoutAdmission} (a per-caller quota, provided by the
 * access-control layer, which this package does not know).
 */
package dev.asyncpatterns.fanout;
