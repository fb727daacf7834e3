/**
 * Background jobs: asyncio's {@code create_task}, {@code Task.cancel}, {@code await task} with a
 * timeout, and a bounded task registry that shuts down gracefully. A submit may carry an
 * {@code Idempotency-Key}, so a client's retry never starts a second job.
 */
package dev.asyncpatterns.jobs;
