/**
 * The job types behind {@link dev.asyncpatterns.jobs.JobType}, one class each: {@code sleep}
 * ({@code asyncio.sleep}), {@code ticker} (a forever {@code background_work} loop), {@code cpu}
 * ({@code run_in_executor} on a process pool), {@code blocking} ({@code asyncio.to_thread}) and
 * {@code pipeline} (producers and consumers over {@code asyncio.Queue(maxsize)}). Each stops its
 * own work when its subscription is cancelled.
 */
package dev.asyncpatterns.jobs.type;
