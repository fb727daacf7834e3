/**
 * Background jobs: asyncio's {@code create_task}, {@code Task.cancel}, {@code await task} with a
 * timeout, and a bounded task registry that shuts down gracefully.
 */
package dev.asyncpatterns.jobs;
