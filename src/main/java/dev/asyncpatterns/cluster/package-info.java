/**
 * Several instances as one service: the task registry's jobs kept in PostgreSQL
 * ({@code asyncpatterns.store=postgres}) so any instance answers for any job, a claimed job runs
 * where a slot is free ({@code FOR UPDATE SKIP LOCKED}), cancels and progress travel by
 * {@code LISTEN/NOTIFY}, delayed jobs wait as rows until one instance's timer promotes them, and a
 * lost instance's jobs fail or run again elsewhere. In asyncio
 * terms: {@code create_task} and {@code Task.cancel} across processes, with leases standing in
 * for the event loop that owns a task.
 */
package dev.asyncpatterns.cluster;
