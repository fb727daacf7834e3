/**
 * Where work runs and how tasks wait: the bounded CPU and blocking schedulers behind asyncio's
 * {@code run_in_executor} / {@code to_thread}, and non-blocking synchronization primitives
 * ({@code asyncio.Queue}, {@code Semaphore}, {@code Lock}, {@code Event}, {@code Condition}) built
 * on Reactor; plus asyncio's debug-mode tools: the event-loop lag probe (slow-callback warning)
 * and Reactor's assembly tracebacks ({@code PYTHONASYNCIODEBUG}). Also the process's own set-up:
 * how many event loops, the training run behind the Docker image's ahead-of-time cache, and the
 * Commons Logging bridge that checks a level before it formats a message.
 */
package dev.asyncpatterns.runtime;
