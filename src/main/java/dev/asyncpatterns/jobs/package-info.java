/**
 * Background jobs: asyncio's {@code create_task}, {@code Task.cancel}, {@code await task} with a
 * timeout, {@code loop.call_later} and {@code loop.call_at} for whole jobs (delayed starts on one
 * shared timer), and a bounded task registry that shuts down gracefully. A submit may carry an
 * {@code Idempotency-Key}, so a client's retry never starts a second job.
 */
package dev.asyncpatterns.jobs;
