/**
 * Where work runs and how tasks wait: the bounded CPU and blocking schedulers behind asyncio's
 * {@code run_in_executor} / {@code to_thread}, and non-blocking synchronization primitives
 * ({@code asyncio.Queue} and friends) built on Reactor.
 */
package dev.asyncpatterns.runtime;
